//! A GraphQL document held to the schema before anything runs, as a
//! GraphQL server validates it: the operation to run, every field and
//! argument against [`super::schema`], selections on objects and none on
//! scalars, fragments, variables declared, of input types, used where their
//! type fits, and given values of their type, nothing declared unused, and
//! no directives (`BB-GQL-2` … `BB-GQL-9`).
//! Messages are graphql-js's, the wording Apollo Server sends.

use std::collections::{HashMap, HashSet};

use async_graphql_parser::Pos;
use async_graphql_parser::types::{
    BaseType, Directive, DocumentOperations, ExecutableDocument, OperationDefinition,
    OperationType, Selection, SelectionSet, Type,
};
use async_graphql_value::{ConstValue, Name, Value};

use super::schema::{self, Kind};

/// One thing wrong with a request, and where in the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub message: String,
    pub at: Option<Pos>,
}

impl Problem {
    pub fn new(message: impl Into<String>, at: Option<Pos>) -> Problem {
        Problem {
            message: message.into(),
            at,
        }
    }
}

/// A type the schema writes, parsed.
pub fn ty(text: &str) -> Type {
    Type::new(text).unwrap_or_else(|| Type {
        base: BaseType::Named(Name::new(text)),
        nullable: true,
    })
}

/// The named type under lists and `!`.
pub fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => named(inner),
    }
}

/// The operation the request asks to run, valid, with its variables'
/// values coerced to their declared types.
pub struct Checked<'a> {
    pub operation: &'a OperationDefinition,
    pub variables: HashMap<Name, ConstValue>,
}

/// Validates the document and the variables, or says every problem found.
pub fn check<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
    variables: &serde_json::Map<String, serde_json::Value>,
) -> Result<Checked<'a>, Vec<Problem>> {
    let operation = choose(document, operation_name)?;
    if operation.node.ty != OperationType::Query {
        return Err(vec![Problem::new(
            format!(
                "Schema is not configured to execute {} operation.",
                operation.node.ty
            ),
            Some(operation.pos),
        )]);
    }
    let mut walk = Walk {
        document,
        declared: HashMap::new(),
        problems: Vec::new(),
        spreading: HashSet::new(),
        used: HashSet::new(),
        spread: HashSet::new(),
    };
    walk.directives(&operation.node.directives);
    for definition in &operation.node.variable_definitions {
        let var = &definition.node;
        let base = named(&var.var_type.node);
        match schema::kind(base) {
            Some(Kind::Scalar | Kind::Enum(_) | Kind::Input(_)) => {}
            Some(Kind::Object(_)) => walk.problems.push(Problem::new(
                format!(
                    "Variable \"${}\" cannot be non-input type \"{}\".",
                    var.name.node, var.var_type.node
                ),
                Some(definition.pos),
            )),
            None => walk.problems.push(Problem::new(
                format!("Unknown type \"{base}\"."),
                Some(var.var_type.pos),
            )),
        }
        walk.declared
            .insert(var.name.node.clone(), var.var_type.node.clone());
    }
    walk.selection(&operation.node.selection_set.node, "Query");
    walk.unused(operation, document);
    if !walk.problems.is_empty() {
        return Err(walk.problems);
    }
    let values = coerce(operation, variables)?;
    Ok(Checked {
        operation: &operation.node,
        variables: values,
    })
}

fn choose<'a>(
    document: &'a ExecutableDocument,
    name: Option<&str>,
) -> Result<&'a async_graphql_parser::Positioned<OperationDefinition>, Vec<Problem>> {
    match (&document.operations, name) {
        (DocumentOperations::Single(operation), None) => Ok(operation),
        (DocumentOperations::Multiple(operations), Some(name)) => {
            operations.get(name).ok_or_else(|| {
                vec![Problem::new(
                    format!("Unknown operation named \"{name}\"."),
                    None,
                )]
            })
        }
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => operations
            .values()
            .next()
            .ok_or_else(|| vec![Problem::new("Must provide an operation.", None)]),
        (DocumentOperations::Multiple(_), None) => Err(vec![Problem::new(
            "Must provide operation name if query contains multiple operations.",
            None,
        )]),
        (DocumentOperations::Single(_), Some(name)) => Err(vec![Problem::new(
            format!("Unknown operation named \"{name}\"."),
            None,
        )]),
    }
}

/// The variables' values: each declared one given (or defaulted) when its
/// type is non-null, and of its type.
fn coerce(
    operation: &async_graphql_parser::Positioned<OperationDefinition>,
    given: &serde_json::Map<String, serde_json::Value>,
) -> Result<HashMap<Name, ConstValue>, Vec<Problem>> {
    let mut values = HashMap::new();
    let mut problems = Vec::new();
    let none = HashMap::new();
    for definition in &operation.node.variable_definitions {
        let var = &definition.node;
        let declared = &var.var_type.node;
        let value = match given.get(var.name.node.as_str()) {
            Some(json) => ConstValue::from_json(json.clone()).unwrap_or(ConstValue::Null),
            None => match &var.default_value {
                Some(default) => default.node.clone(),
                None if !declared.nullable => {
                    problems.push(Problem::new(
                        format!(
                            "Variable \"${}\" of required type \"{declared}\" was not provided.",
                            var.name.node
                        ),
                        Some(definition.pos),
                    ));
                    continue;
                }
                None => continue,
            },
        };
        let fits = Fit {
            declared: &none,
            from_variables: true,
        };
        if let Err(why) = fits.value(&value.clone().into_value(), declared) {
            problems.push(Problem::new(
                format!(
                    "Variable \"${}\" got invalid value {}; {why}",
                    var.name.node,
                    serde_json::to_string(
                        given
                            .get(var.name.node.as_str())
                            .unwrap_or(&serde_json::Value::Null)
                    )
                    .unwrap_or_default()
                ),
                Some(definition.pos),
            ));
            continue;
        }
        values.insert(var.name.node.clone(), value);
    }
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(problems)
    }
}

struct Walk<'a> {
    document: &'a ExecutableDocument,
    declared: HashMap<Name, Type>,
    problems: Vec<Problem>,
    /// Fragments being spread, against cycles.
    spreading: HashSet<Name>,
    /// Variables the operation uses, and fragments it spreads.
    used: HashSet<Name>,
    spread: HashSet<Name>,
}

/// The variables a value names.
fn variables_in(value: &Value, out: &mut HashSet<Name>) {
    match value {
        Value::Variable(name) => {
            out.insert(name.clone());
        }
        Value::List(items) => items.iter().for_each(|item| variables_in(item, out)),
        Value::Object(fields) => fields.values().for_each(|item| variables_in(item, out)),
        _ => {}
    }
}

impl Walk<'_> {
    /// The emulator serves no directives (`@include`, `@skip` included).
    fn directives(&mut self, directives: &[async_graphql_parser::Positioned<Directive>]) {
        for directive in directives {
            self.problems.push(Problem::new(
                format!("Unknown directive \"@{}\".", directive.node.name.node),
                Some(directive.pos),
            ));
        }
    }

    /// Declared variables the operation never uses, and fragments of a
    /// one-operation document never spread.
    fn unused(
        &mut self,
        operation: &async_graphql_parser::Positioned<OperationDefinition>,
        document: &ExecutableDocument,
    ) {
        for definition in &operation.node.variable_definitions {
            let name = &definition.node.name.node;
            if !self.used.contains(name) {
                self.problems.push(Problem::new(
                    format!("Variable \"${name}\" is never used."),
                    Some(definition.pos),
                ));
            }
        }
        if matches!(document.operations, DocumentOperations::Single(_)) {
            for (name, fragment) in &document.fragments {
                if !self.spread.contains(name) {
                    self.problems.push(Problem::new(
                        format!("Fragment \"{name}\" is never used."),
                        Some(fragment.pos),
                    ));
                }
            }
        }
    }

    fn selection(&mut self, set: &SelectionSet, on: &str) {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    self.directives(&field.node.directives);
                    self.field(&field.node, field.pos, on);
                }
                Selection::FragmentSpread(spread) => {
                    self.directives(&spread.node.directives);
                    let name = &spread.node.fragment_name.node;
                    self.spread.insert(name.clone());
                    let Some(fragment) = self.document.fragments.get(name) else {
                        self.problems.push(Problem::new(
                            format!("Unknown fragment \"{name}\"."),
                            Some(spread.pos),
                        ));
                        continue;
                    };
                    let condition = fragment.node.type_condition.node.on.node.as_str();
                    if !self.fits_type(condition, on, Some(name.as_str()), spread.pos) {
                        continue;
                    }
                    if self.spreading.insert(name.clone()) {
                        self.selection(&fragment.node.selection_set.node, on);
                        self.spreading.remove(name);
                    } else {
                        self.problems.push(Problem::new(
                            format!("Cannot spread fragment \"{name}\" within itself."),
                            Some(spread.pos),
                        ));
                    }
                }
                Selection::InlineFragment(inline) => {
                    self.directives(&inline.node.directives);
                    if let Some(condition) = &inline.node.type_condition
                        && !self.fits_type(condition.node.on.node.as_str(), on, None, inline.pos)
                    {
                        continue;
                    }
                    self.selection(&inline.node.selection_set.node, on);
                }
            }
        }
    }

    /// A fragment on `condition` may be spread on `on` only when they are
    /// the same object type: the schema has no interfaces or unions.
    fn fits_type(&mut self, condition: &str, on: &str, name: Option<&str>, at: Pos) -> bool {
        if !matches!(schema::kind(condition), Some(Kind::Object(_))) {
            self.problems.push(Problem::new(
                format!("Unknown type \"{condition}\"."),
                Some(at),
            ));
            return false;
        }
        if condition == on {
            return true;
        }
        let what = name.map_or_else(|| "Fragment".to_owned(), |n| format!("Fragment \"{n}\""));
        self.problems.push(Problem::new(
            format!(
                "{what} cannot be spread here as objects of type \"{on}\" can never be of type \"{condition}\"."
            ),
            Some(at),
        ));
        false
    }

    fn field(&mut self, field: &async_graphql_parser::types::Field, at: Pos, on: &str) {
        let name = field.name.node.as_str();
        if name == "__typename" {
            return;
        }
        let Some(definition) = schema::field(on, name) else {
            self.problems.push(Problem::new(
                format!("Cannot query field \"{name}\" on type \"{on}\"."),
                Some(at),
            ));
            return;
        };
        for (arg, value) in &field.arguments {
            variables_in(&value.node, &mut self.used);
            let Some((_, arg_type)) = definition
                .args
                .iter()
                .find(|(n, _)| *n == arg.node.as_str())
            else {
                self.problems.push(Problem::new(
                    format!(
                        "Unknown argument \"{}\" on field \"{on}.{name}\".",
                        arg.node
                    ),
                    Some(arg.pos),
                ));
                continue;
            };
            let fits = Fit {
                declared: &self.declared,
                from_variables: false,
            };
            if let Err(why) = fits.value(&value.node, &ty(arg_type)) {
                self.problems.push(Problem::new(why, Some(value.pos)));
            }
        }
        for (arg, arg_type) in definition.args {
            if arg_type.ends_with('!') && field.get_argument(arg).is_none() {
                self.problems.push(Problem::new(
                    format!(
                        "Field \"{name}\" argument \"{arg}\" of type \"{arg_type}\" is required, but it was not provided."
                    ),
                    Some(at),
                ));
            }
        }
        let field_type = ty(definition.ty);
        let base = named(&field_type);
        let has_selection = !field.selection_set.node.items.is_empty();
        match (schema::kind(base), has_selection) {
            (Some(Kind::Object(_)), true) => self.selection(&field.selection_set.node, base),
            (Some(Kind::Object(_)), false) => self.problems.push(Problem::new(
                format!(
                    "Field \"{name}\" of type \"{field_type}\" must have a selection of subfields. Did you mean \"{name} {{ ... }}\"?"
                ),
                Some(at),
            )),
            (_, true) => self.problems.push(Problem::new(
                format!(
                    "Field \"{name}\" must not have a selection since type \"{field_type}\" has no subfields."
                ),
                Some(at),
            )),
            (_, false) => {}
        }
    }
}

/// Whether a value fits an input type: in the document (enums as enum
/// literals, variables where their declared type fits), or as a variable's
/// value (enums as strings).
struct Fit<'a> {
    declared: &'a HashMap<Name, Type>,
    from_variables: bool,
}

impl Fit<'_> {
    fn value(&self, value: &Value, expected: &Type) -> Result<(), String> {
        if let Value::Variable(name) = value {
            return self.variable(name, expected);
        }
        if matches!(value, Value::Null) {
            return if expected.nullable {
                Ok(())
            } else {
                Err(format!(
                    "Expected value of type \"{expected}\", found null."
                ))
            };
        }
        match &expected.base {
            BaseType::List(inner) => match value {
                Value::List(items) => items.iter().try_for_each(|item| self.value(item, inner)),
                single => self.value(single, inner),
            },
            BaseType::Named(name) => self.named(value, name.as_str(), expected),
        }
    }

    fn named(&self, value: &Value, name: &str, expected: &Type) -> Result<(), String> {
        match schema::kind(name) {
            Some(Kind::Scalar) if scalar_fits(name, value) => Ok(()),
            Some(Kind::Scalar) => Err(format!(
                "Expected value of type \"{expected}\", found {value}."
            )),
            Some(Kind::Enum(allowed)) => {
                let given = match value {
                    Value::Enum(literal) if !self.from_variables => Some(literal.as_str()),
                    Value::String(text) if self.from_variables => Some(text.as_str()),
                    _ => None,
                };
                match given {
                    Some(v) if allowed.contains(&v) => Ok(()),
                    _ => Err(format!("Value {value} does not exist in \"{name}\" enum.")),
                }
            }
            Some(Kind::Input(fields)) => {
                let Value::Object(map) = value else {
                    return Err(format!(
                        "Expected value of type \"{expected}\", found {value}."
                    ));
                };
                for (key, item) in map {
                    let Some((_, field_type)) = fields.iter().find(|(n, _)| *n == key.as_str())
                    else {
                        return Err(format!(
                            "Field \"{key}\" is not defined by type \"{name}\"."
                        ));
                    };
                    self.value(item, &ty(field_type))?;
                }
                match fields
                    .iter()
                    .find(|(n, t)| t.ends_with('!') && !map.contains_key(*n))
                {
                    Some((n, t)) => Err(format!(
                        "Field \"{name}.{n}\" of required type \"{t}\" was not provided."
                    )),
                    None => Ok(()),
                }
            }
            Some(Kind::Object(_)) | None => Err(format!("Unknown type \"{name}\".")),
        }
    }

    /// A variable fits where its declared type is the expected one, or the
    /// expected one made non-null.
    fn variable(&self, name: &Name, expected: &Type) -> Result<(), String> {
        let Some(declared) = self.declared.get(name) else {
            return Err(format!("Variable \"${name}\" is not defined."));
        };
        let fits = declared == expected
            || (expected.nullable && !declared.nullable && declared.base == expected.base);
        if fits {
            Ok(())
        } else {
            Err(format!(
                "Variable \"${name}\" of type \"{declared}\" used in position expecting type \"{expected}\"."
            ))
        }
    }
}

fn scalar_fits(name: &str, value: &Value) -> bool {
    match (name, value) {
        ("Int", Value::Number(n)) => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        ("Float", Value::Number(_))
        | ("String", Value::String(_))
        | ("Boolean", Value::Boolean(_))
        | ("ID", Value::String(_)) => true,
        ("ID", Value::Number(n)) => n.is_i64(),
        ("Timestamp", Value::String(text)) => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        _ => false,
    }
}
