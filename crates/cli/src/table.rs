//! The plain-text tables the command line prints: every column as wide as
//! its widest cell, two spaces between columns, nothing ever cut (a pay ID
//! `VACATION` reads `VACATION`, not `VACATI`), numbers right-aligned.

/// A table being filled row by row.
pub struct Table {
    headings: Vec<String>,
    /// Columns aligned to the right (numbers).
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headings, all left-aligned.
    pub fn new<S: Into<String>>(headings: impl IntoIterator<Item = S>) -> Table {
        let headings: Vec<String> = headings.into_iter().map(Into::into).collect();
        let right = vec![false; headings.len()];
        Table {
            headings,
            right,
            rows: Vec::new(),
        }
    }

    /// Aligns the columns `from..` to the right.
    pub fn numbers_from(mut self, from: usize) -> Table {
        for right in self.right.iter_mut().skip(from) {
            *right = true;
        }
        self
    }

    /// Adds a row; missing cells are empty, extra ones are dropped.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let mut cells: Vec<String> = cells.into_iter().map(Into::into).collect();
        cells.resize(self.headings.len(), String::new());
        self.rows.push(cells);
    }

    /// The table as lines, without trailing spaces.
    pub fn render(&self) -> String {
        let widths: Vec<usize> = (0..self.headings.len())
            .map(|i| {
                self.rows
                    .iter()
                    .map(|r| r[i].chars().count())
                    .chain([self.headings[i].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| {
            cells
                .iter()
                .zip(&widths)
                .zip(&self.right)
                .map(|((cell, &width), &right)| {
                    if right {
                        format!("{cell:>width$}")
                    } else {
                        format!("{cell:<width$}")
                    }
                })
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_owned()
        };
        std::iter::once(line(&self.headings))
            .chain(self.rows.iter().map(|r| line(r)))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// An employee as a table shows them: the name, and the employee number
/// (else the record's id) so two people with the same name are told apart.
pub fn employee(name: &str, number: Option<&str>, id: i64) -> String {
    match number.map(str::trim).filter(|n| !n.is_empty()) {
        Some(number) => format!("{name} ({number})"),
        None => format!("{name} (#{id})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_wider_than_its_heading_widens_the_column_instead_of_being_cut() {
        let mut table = Table::new(["Code", "Hours"]).numbers_from(1);
        table.row(["VACATION10", "8.00"]);

        assert_eq!(
            table.render(),
            "Code        Hours\nVACATION10   8.00",
            "the code is whole and the hours still line up"
        );
    }

    #[test]
    fn an_employee_without_a_number_is_told_apart_by_the_record_id() {
        assert_eq!(
            (
                employee("Ana Ortiz", Some("E-2"), 7),
                employee("Ana Ortiz", None, 9)
            ),
            ("Ana Ortiz (E-2)".to_owned(), "Ana Ortiz (#9)".to_owned()),
            "the number when there is one, else the id"
        );
    }
}
