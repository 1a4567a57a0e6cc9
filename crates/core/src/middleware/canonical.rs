//! A payload's stored JSON written straight from the payload: the same
//! bytes as `serde_json::to_value(payload)?.to_string()` (compact, each
//! object's keys sorted as `serde_json::Value`'s map keeps them, a repeated
//! key's last value kept), without building the value: a sync stages
//! tens of thousands of records a second.
//!
//! What this writer does not write exactly as the value would (bytes,
//! `f32`, 128-bit integers, tuple and struct variants, a map key that is
//! not a string) is an error: [`text`] answers `None` and the caller writes
//! through the value instead.

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;
use serde::ser::{self, Impossible};

/// `value`'s JSON as `serde_json::Value` writes it, or `None` when it holds
/// something this writer leaves to the value.
pub(crate) fn text<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    let mut out = Vec::with_capacity(256);
    value.serialize(Writer { out: &mut out }).ok()?;
    String::from_utf8(out).ok()
}

/// Something written differently through a `serde_json::Value`.
#[derive(Debug)]
pub(crate) struct Unsupported;

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("written through a JSON value instead")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

type Done = Result<(), Unsupported>;

/// A scalar as serde_json writes it (the value writes scalars the same way).
fn json<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Done {
    serde_json::to_writer(out, value).map_err(|_| Unsupported)
}

/// Scalar methods of [`Writer`]: each value as serde_json writes it.
macro_rules! written_as_json {
    ($($name:ident($type:ty)),* $(,)?) => {$(
        fn $name(self, v: $type) -> Done {
            json(self.out, &v)
        }
    )*};
}

/// Methods of [`Key`] for what is not a string key.
macro_rules! refused {
    ($($name:ident($($arg:ty),*) -> $ok:ty),* $(,)?) => {$(
        fn $name(self, $(_: $arg),*) -> Result<$ok, Unsupported> {
            Err(Unsupported)
        }
    )*};
}

struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    written_as_json! {
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_char(char),
    }
    fn serialize_f32(self, _: f32) -> Done {
        Err(Unsupported)
    }
    fn serialize_f64(self, v: f64) -> Done {
        // Not finite: `null`, as the value has it.
        json(self.out, &v)
    }
    fn serialize_str(self, v: &str) -> Done {
        json(self.out, v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Done {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Done {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Done {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Done {
        json(self.out, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.out.push(b'{');
        json(self.out, variant)?;
        self.out.push(b':');
        value.serialize(Writer {
            out: &mut *self.out,
        })?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, Unsupported> {
        self.out.push(b'[');
        Ok(Seq {
            out: self.out,
            first: true,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, Unsupported> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a>, Unsupported> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Object<'a>, Unsupported> {
        Ok(Object {
            out: self.out,
            values: Vec::new(),
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Object<'a>, Unsupported> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

/// An array: its values written in order.
struct Seq<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl Seq<'_> {
    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
        value.serialize(Writer {
            out: &mut *self.out,
        })
    }

    fn close(self) -> Done {
        self.out.push(b']');
        Ok(())
    }
}

/// Sequences, tuples and tuple structs: each an array.
macro_rules! array {
    ($($trait:ident::$method:ident),* $(,)?) => {$(
        impl ser::$trait for Seq<'_> {
            type Ok = ();
            type Error = Unsupported;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
                self.value(value)
            }
            fn end(self) -> Done {
                self.close()
            }
        }
    )*};
}

array! {
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
}

/// An object: each value written aside, then all of them in key order.
struct Object<'a> {
    out: &'a mut Vec<u8>,
    values: Vec<u8>,
    entries: Vec<(Cow<'static, str>, Range<usize>)>,
    /// A map's key, until its value comes.
    key: Option<String>,
}

impl Object<'_> {
    fn entry<T: Serialize + ?Sized>(&mut self, key: Cow<'static, str>, value: &T) -> Done {
        let start = self.values.len();
        value.serialize(Writer {
            out: &mut self.values,
        })?;
        self.entries.push((key, start..self.values.len()));
        Ok(())
    }

    fn close(mut self) -> Done {
        // Stable: of a repeated key, the last value is the one kept.
        self.entries.sort_by(|a, b| a.0.cmp(&b.0));
        self.out.push(b'{');
        let mut first = true;
        for (i, (key, range)) in self.entries.iter().enumerate() {
            if self.entries.get(i + 1).is_some_and(|next| next.0 == *key) {
                continue;
            }
            if !std::mem::take(&mut first) {
                self.out.push(b',');
            }
            json(self.out, key.as_ref())?;
            self.out.push(b':');
            self.out.extend_from_slice(&self.values[range.clone()]);
        }
        self.out.push(b'}');
        Ok(())
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        self.entry(Cow::Borrowed(key), value)
    }
    fn end(self) -> Done {
        self.close()
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        self.key = Some(key.serialize(Key)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        let key = self.key.take().ok_or(Unsupported)?;
        self.entry(Cow::Owned(key), value)
    }
    fn end(self) -> Done {
        self.close()
    }
}

/// A map's key: only a string is written here (the value turns numbers
/// and others into strings its own way).
struct Key;

impl ser::Serializer for Key {
    type Ok = String;
    type Error = Unsupported;
    type SerializeSeq = Impossible<String, Unsupported>;
    type SerializeTuple = Impossible<String, Unsupported>;
    type SerializeTupleStruct = Impossible<String, Unsupported>;
    type SerializeTupleVariant = Impossible<String, Unsupported>;
    type SerializeMap = Impossible<String, Unsupported>;
    type SerializeStruct = Impossible<String, Unsupported>;
    type SerializeStructVariant = Impossible<String, Unsupported>;

    fn serialize_str(self, v: &str) -> Result<String, Unsupported> {
        Ok(v.to_owned())
    }
    refused! {
        serialize_bool(bool) -> String,
        serialize_i8(i8) -> String,
        serialize_i16(i16) -> String,
        serialize_i32(i32) -> String,
        serialize_i64(i64) -> String,
        serialize_u8(u8) -> String,
        serialize_u16(u16) -> String,
        serialize_u32(u32) -> String,
        serialize_u64(u64) -> String,
        serialize_f32(f32) -> String,
        serialize_f64(f64) -> String,
        serialize_char(char) -> String,
        serialize_bytes(&[u8]) -> String,
        serialize_none() -> String,
        serialize_unit() -> String,
        serialize_unit_struct(&'static str) -> String,
        serialize_unit_variant(&'static str, u32, &'static str) -> String,
        serialize_seq(Option<usize>) -> Self::SerializeSeq,
        serialize_tuple(usize) -> Self::SerializeTuple,
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct,
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant,
        serialize_map(Option<usize>) -> Self::SerializeMap,
        serialize_struct(&'static str, usize) -> Self::SerializeStruct,
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant,
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Unsupported> {
        Err(Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    fn through_value<T: Serialize>(value: &T) -> String {
        serde_json::to_value(value).expect("a value").to_string()
    }

    #[derive(Serialize)]
    struct Unsorted {
        zulu: Option<String>,
        alpha: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        mike: Option<i64>,
        list: Vec<Inner>,
        kind: Kind,
        tagged: Tagged,
        wrapped: Wrapped,
        #[serde(flatten)]
        rest: BTreeMap<String, i64>,
    }

    #[derive(Serialize)]
    struct Inner {
        b: u32,
        a: char,
        c: (),
    }

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Clock,
        Manual(i64),
    }

    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Tagged {
        Span { start: String, end: Option<String> },
    }

    #[derive(Serialize)]
    struct Wrapped(bool);

    #[test]
    fn text_is_the_json_values_text_for_a_spread_of_shapes() {
        for (i, alpha) in [0.0, -0.0, 1.0, 1.5, 1e21, f64::NAN, f64::INFINITY, 2.5e-8]
            .into_iter()
            .enumerate()
        {
            let value = Unsorted {
                zulu: i
                    .is_multiple_of(2)
                    .then(|| format!("quote \" slash \\ tab \t é {i} \u{1f}")),
                alpha,
                mike: i.is_multiple_of(3).then_some(-(i as i64) * 1_000_000_007),
                list: (0..i)
                    .map(|n| Inner {
                        b: n as u32,
                        a: 'é',
                        c: (),
                    })
                    .collect(),
                kind: if i.is_multiple_of(2) {
                    Kind::Clock
                } else {
                    Kind::Manual(i as i64)
                },
                tagged: Tagged::Span {
                    start: "2026-03-31T06:00:00-05:00".into(),
                    end: None,
                },
                wrapped: Wrapped(!i.is_multiple_of(2)),
                rest: (0..i).map(|n| (format!("k{}", 9 - n), n as i64)).collect(),
            };
            assert_eq!(
                text(&value).as_deref(),
                Some(through_value(&value).as_str()),
                "case {i}"
            );
        }
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_as_the_json_value_does() {
        #[derive(Serialize)]
        struct Twice {
            a: i64,
            #[serde(flatten)]
            rest: BTreeMap<String, i64>,
        }
        let value = Twice {
            a: 1,
            rest: BTreeMap::from([("a".to_owned(), 2), ("0".to_owned(), 3)]),
        };
        assert_eq!(text(&value), Some(through_value(&value)));
        assert_eq!(through_value(&value), json!({"0": 3, "a": 2}).to_string());
    }

    #[test]
    fn what_the_value_writes_its_own_way_is_left_to_it() {
        assert_eq!(text(&1.5f32), None, "an f32");
        assert_eq!(text(&BTreeMap::from([(1, 2)])), None, "a number as a key");
        assert_eq!(
            text(&json!({"b": 1, "a": [null]})),
            Some(r#"{"a":[null],"b":1}"#.into())
        );
    }
}
