//! CSV layouts on the command line: `csv-layout save`, `list` and `show`,
//! and the layout `connect csv` guesses from the files, prints and saves
//! when none is named.

use std::path::Path;

use chrono::Utc;
use clap::Subcommand;
use timebridge_connectors::csv_files;
use timebridge_core::audit::Actor;
use timebridge_core::middleware::csv_layouts::{
    self, CsvColumn, CsvDuration, CsvField, CsvLayout, CsvPreview,
};
use timebridge_core::{Error, Store};

use crate::integrations::to_json;
use crate::table::Table;

#[derive(Debug, Subcommand)]
pub enum CsvLayoutCommand {
    /// Guess a layout from a file, change what is given, and save it.
    Save {
        /// The layout's name (saving an existing name replaces it).
        name: String,
        /// The export file the layout is guessed from.
        #[arg(long, value_name = "FILE")]
        from: std::path::PathBuf,
        /// A column and the field it holds ("Clock In=start"; "Notes=none"
        /// reads the column as nothing). Fields: employee, employee_number,
        /// date, start, end, hours, break, job, task, pay_id, notes.
        #[arg(long = "map", value_name = "HEADER=FIELD")]
        map: Vec<String>,
        /// How dates are written, as chrono's format (%m/%d/%Y, %d.%m.%Y).
        #[arg(long)]
        date_format: Option<String>,
        /// How times are written (%I:%M %p, %H:%M).
        #[arg(long)]
        time_format: Option<String>,
        /// How hours and breaks are written: decimal-hours (7.5),
        /// hours-minutes (7:30) or minutes (450).
        #[arg(long)]
        duration: Option<String>,
        /// The IANA time zone of the times (default: the company's).
        #[arg(long)]
        time_zone: Option<String>,
        /// The first line is a row, not the column names.
        #[arg(long)]
        no_header: bool,
        /// The character between columns: , ; | or tab (default: found
        /// from the file).
        #[arg(long)]
        delimiter: Option<String>,
    },
    /// Every saved layout.
    List,
    /// One saved layout: each column's field, and the formats.
    Show { name: String },
}

pub fn run(store: &Store, command: CsvLayoutCommand, json: bool) -> Result<String, Error> {
    match command {
        CsvLayoutCommand::Save {
            name,
            from,
            map,
            date_format,
            time_format,
            duration,
            time_zone,
            no_header,
            delimiter,
        } => {
            let delimiter = delimiter.map(|d| delimiter_of(&d)).transpose()?;
            let preview = preview(&from, delimiter)?;
            let mut layout = preview.guess;
            layout.name = name;
            if no_header {
                layout.has_header = false;
                for (i, column) in layout.columns.iter_mut().enumerate() {
                    column.header = format!("Column {}", i + 1);
                }
            }
            for pair in &map {
                mapped(&mut layout.columns, pair)?;
            }
            layout.date_format = date_format.unwrap_or(layout.date_format);
            layout.time_format = time_format.unwrap_or(layout.time_format);
            if let Some(text) = duration {
                layout.duration_format = duration_of(&text)?;
            }
            layout.time_zone = time_zone.or(layout.time_zone);
            store.write(|tx| csv_layouts::save(tx, &layout, &Actor::cli(), Utc::now()))?;
            if json {
                return to_json(&layout);
            }
            Ok(format!(
                "{}\nSaved the layout “{}”.",
                describe(&layout),
                layout.name
            ))
        }
        CsvLayoutCommand::List => {
            let layouts = store.read(csv_layouts::list)?;
            if json {
                return to_json(&layouts);
            }
            if layouts.is_empty() {
                return Ok(
                    "No CSV layouts. Save one with `timebridge csv-layout save NAME --from FILE`."
                        .into(),
                );
            }
            let mut table = Table::new(["Name", "Columns read", "Date", "Time", "Durations", "Zone"]);
            for l in layouts {
                let read = l.columns.iter().filter(|c| c.field.is_some()).count();
                table.row([
                    l.name.clone(),
                    format!("{read} of {}", l.columns.len()),
                    l.date_format.clone(),
                    l.time_format.clone(),
                    duration_name(l.duration_format).to_owned(),
                    zone_name(&l),
                ]);
            }
            Ok(table.render())
        }
        CsvLayoutCommand::Show { name } => {
            let layout = store.read(|c| csv_layouts::get(c, &name))?.ok_or_else(|| {
                Error::NotFound(format!(
                    "No CSV layout is called “{name}”; `timebridge csv-layout list` shows them."
                ))
            })?;
            if json {
                return to_json(&layout);
            }
            Ok(describe(&layout))
        }
    }
}

fn preview(path: &Path, delimiter: Option<u8>) -> Result<CsvPreview, Error> {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    csv_files::preview_as(&path, delimiter).map_err(|e| Error::invalid("from", e.message))
}

fn delimiter_of(text: &str) -> Result<u8, Error> {
    match text {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "|" | "pipe" => Ok(b'|'),
        "\t" | "\\t" | "tab" => Ok(b'\t'),
        other => Err(Error::invalid(
            "delimiter",
            format!("Use , ; | or tab as the delimiter, not “{other}”."),
        )),
    }
}

fn duration_of(text: &str) -> Result<CsvDuration, Error> {
    match text.replace('_', "-").as_str() {
        "decimal-hours" | "decimal" => Ok(CsvDuration::DecimalHours),
        "hours-minutes" | "h:mm" => Ok(CsvDuration::HoursMinutes),
        "minutes" => Ok(CsvDuration::Minutes),
        other => Err(Error::invalid(
            "duration",
            format!("Use decimal-hours (7.5), hours-minutes (7:30) or minutes (450), not “{other}”."),
        )),
    }
}

fn duration_name(duration: CsvDuration) -> &'static str {
    match duration {
        CsvDuration::DecimalHours => "decimal hours (7.5)",
        CsvDuration::HoursMinutes => "hours and minutes (7:30)",
        CsvDuration::Minutes => "minutes (450)",
    }
}

fn zone_name(layout: &CsvLayout) -> String {
    layout
        .time_zone
        .clone()
        .unwrap_or_else(|| "the company's".into())
}

/// Applies one `--map "Header=field"`: the field moves to that column.
fn mapped(columns: &mut [CsvColumn], pair: &str) -> Result<(), Error> {
    let (header, field) = pair.rsplit_once('=').ok_or_else(|| {
        Error::invalid(
            "map",
            format!("Write each mapping as \"Header=field\", not “{pair}”."),
        )
    })?;
    let field = match field.trim() {
        "" | "none" | "-" => None,
        name => Some(CsvField::parse(name).ok_or_else(|| {
            let known: Vec<&str> = CsvField::ALL.iter().map(|f| f.as_str()).collect();
            Error::invalid(
                "map",
                format!("“{name}” is not a field; use one of {}, or none.", known.join(", ")),
            )
        })?),
    };
    let wanted = header.trim().to_lowercase();
    let Some(index) = columns
        .iter()
        .position(|c| c.header.trim().to_lowercase() == wanted)
    else {
        let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
        return Err(Error::invalid(
            "map",
            format!(
                "The file has no column “{}”; its columns are {}.",
                header.trim(),
                headers.join(", ")
            ),
        ));
    };
    if field.is_some() {
        for column in columns.iter_mut() {
            if column.field == field {
                column.field = None;
            }
        }
    }
    columns[index].field = field;
    Ok(())
}

/// A layout as the admin checks it: each column and its field, then the
/// formats and the zone.
pub fn describe(layout: &CsvLayout) -> String {
    let mut table = Table::new(["Column", "Field"]);
    for column in &layout.columns {
        table.row([
            column.header.clone(),
            column
                .field
                .map_or("(not read)".to_owned(), |f| f.label().to_owned()),
        ]);
    }
    let delimiter = match layout.delimiter.as_str() {
        "\t" => "tab".to_owned(),
        d => d.to_owned(),
    };
    format!(
        "Layout “{}”:\n{}\nDelimiter {delimiter}, {}; dates {}, times {}, durations in {}, times in {} time zone.",
        layout.name,
        table.render(),
        if layout.has_header {
            "the first line names the columns"
        } else {
            "no header line"
        },
        layout.date_format,
        layout.time_format,
        duration_name(layout.duration_format),
        zone_name(layout),
    )
}

/// The layout `connect csv` reads with: the one named, else the guess of
/// the first file, printed (unless `json`) and saved under the
/// integration's name (numbered if that name is taken). Refused when a
/// required column cannot be guessed, saying how to save a layout.
pub fn for_connect(
    store: &Store,
    folder: &Path,
    layout: Option<String>,
    name: &str,
    json: bool,
) -> Result<String, Error> {
    if let Some(layout) = layout {
        return Ok(layout);
    }
    let preview = csv_files::preview(folder).map_err(|e| Error::invalid("folder", e.message))?;
    let mut guess = preview.guess;
    if !guess.missing().is_empty() {
        return Err(Error::invalid(
            "csv_layout",
            format!(
                "Timebridge could not find {} among the columns of “{}” ({}). Save a layout that \
                 names them: `timebridge csv-layout save NAME --from \"{}\" --map \"Header=field\"`, \
                 then connect with --layout NAME.",
                guess.missing().join(", "),
                preview.file,
                preview.headers.join(", "),
                preview.file
            ),
        ));
    }
    let taken = store.read(csv_layouts::list)?;
    let is_taken = |n: &str| taken.iter().any(|l| l.name.eq_ignore_ascii_case(n));
    guess.name = (1..)
        .map(|i| match i {
            1 => name.to_owned(),
            i => format!("{name} ({i})"),
        })
        .find(|n| !is_taken(n))
        .unwrap_or_else(|| name.to_owned());
    store.write(|tx| csv_layouts::save(tx, &guess, &Actor::cli(), Utc::now()))?;
    if !json {
        println!("Guessed from “{}”:\n{}", preview.file, describe(&guess));
        for problem in &preview.problems {
            println!("Check: {problem}");
        }
        println!(
            "Saved it as the layout “{}” (change it with `timebridge csv-layout save`).",
            guess.name
        );
    }
    Ok(guess.name)
}
