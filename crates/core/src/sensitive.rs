//! [`Sensitive`]: a wrapper for secrets that cannot leak by accident.
//!
//! It prints `<redacted>` in `Debug` and `Display`, so a secret in a struct
//! that is logged never reaches the log, and it refuses to be serialized, so
//! it cannot reach the database as JSON, an error message or the UI. It can be
//! deserialized, because secrets do arrive from the UI (a password typed at
//! sign-in).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(secret: T) -> Self {
        Sensitive(secret)
    }

    /// The secret itself. Every call site is a place a secret is used on
    /// purpose; keep them few.
    pub fn expose(&self) -> &T {
        &self.0
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Sensitive<T> {
    fn from(secret: T) -> Self {
        Sensitive(secret)
    }
}

impl<T> std::fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> std::fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> Serialize for Sensitive<T> {
    fn serialize<S: Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom(
            "a secret (Sensitive<T>) must never be serialized",
        ))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sensitive<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Sensitive)
    }
}

impl<T: ts_rs::TS> ts_rs::TS for Sensitive<T> {
    type WithoutGenerics = T::WithoutGenerics;
    type OptionInnerType = Self;

    fn name(cfg: &ts_rs::Config) -> String {
        T::name(cfg)
    }

    fn inline(cfg: &ts_rs::Config) -> String {
        T::inline(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Serialize)]
    struct Login {
        username: String,
        password: Sensitive<String>,
    }

    #[test]
    fn debug_and_display_never_show_the_secret() {
        let login = Login {
            username: "ann".into(),
            password: Sensitive::new("hunter2-secret".into()),
        };
        let printed = format!("{login:?} {}", login.password);
        assert!(
            !printed.contains("hunter2-secret"),
            "a logged struct must not reveal its secret: {printed}"
        );
        assert!(
            printed.contains("<redacted>"),
            "the placeholder says a secret was there"
        );
    }

    #[test]
    fn serializing_a_secret_fails_instead_of_writing_it() {
        let login = Login {
            username: "ann".into(),
            password: Sensitive::new("hunter2-secret".into()),
        };
        let result = serde_json::to_string(&login);
        assert!(
            result.is_err(),
            "serializing must fail so a secret cannot reach JSON, the database or the UI"
        );
    }

    #[test]
    fn a_secret_can_arrive_from_json() {
        let secret: Sensitive<String> =
            serde_json::from_str("\"typed-at-sign-in\"").expect("a JSON string deserializes");
        assert_eq!(
            secret.expose(),
            "typed-at-sign-in",
            "the UI sends passwords in"
        );
    }
}
