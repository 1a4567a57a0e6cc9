//! Input checks shared by the record and operator modules.
//!
//! A [`Checks`] collects every problem with a draft before failing, so a form
//! can mark all its bad fields at once.

use crate::error::{Error, FieldProblem, Result};

#[derive(Debug, Default)]
pub(crate) struct Checks {
    problems: Vec<FieldProblem>,
}

impl Checks {
    pub fn problem(&mut self, field: &str, message: impl Into<String>) {
        self.problems.push(FieldProblem {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    pub fn has_problem(&self, field: &str) -> bool {
        self.problems.iter().any(|p| p.field == field)
    }

    /// `value` trimmed; a problem if it is empty or longer than `max` characters.
    pub fn required(&mut self, field: &str, label: &str, value: &str, max: usize) -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.problem(field, format!("Enter {label}."));
        } else {
            self.max_len(field, label, trimmed, max);
        }
        trimmed.to_owned()
    }

    /// `value` trimmed, `None` when empty; a problem if longer than `max`.
    pub fn optional(
        &mut self,
        field: &str,
        label: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        let trimmed = value.map(str::trim).filter(|v| !v.is_empty())?;
        self.max_len(field, label, trimmed, max);
        Some(trimmed.to_owned())
    }

    pub fn email(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let email = self.optional(field, "an e-mail address", value, 254)?;
        let looks_valid = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !email.contains(char::is_whitespace)
            }
            None => false,
        };
        if !looks_valid {
            self.problem(
                field,
                format!("“{email}” is not an e-mail address (expected name@example.com)."),
            );
        }
        Some(email)
    }

    fn max_len(&mut self, field: &str, label: &str, value: &str, max: usize) {
        let length = value.chars().count();
        if length > max {
            self.problem(
                field,
                format!("Shorten {label} to {max} characters or fewer (it has {length})."),
            );
        }
    }

    pub fn finish(self) -> Result<()> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_reported_not_only_the_first() {
        let mut checks = Checks::default();
        checks.required("first_name", "a first name", "  ", 50);
        checks.email("email", Some("not-an-address"));
        let Err(Error::Validation(problems)) = checks.finish() else {
            panic!("two bad fields must fail validation");
        };
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["first_name", "email"],
            "a form marks all bad fields at once, so all must be listed"
        );
    }

    #[test]
    fn blank_optional_text_is_stored_as_nothing() {
        let mut checks = Checks::default();
        assert_eq!(
            checks.optional("phone", "a phone number", Some("   "), 40),
            None,
            "whitespace-only input must not be saved as a value"
        );
        assert!(checks.finish().is_ok(), "an empty optional field is fine");
    }
}
