//! Sending payroll to a target that receives it. Today that is the
//! Sandbox's payroll receiver (modelled on QuickBooks Desktop's payroll
//! items and `TimeTrackingAdd`, with amounts on its bonus items; see the
//! emulator's `payroll` module).
//!
//! Lines go in requests of at most [`BATCH`], each line with its request
//! id, so a request repeated after a timeout is recognised, not doubled.

use serde_json::{Value, json};
use timebridge_core::payroll::publish::{LineResult, OutgoingLine};
use timebridge_core::payroll::targets::TargetItem;
use tokio_util::sync::CancellationToken;

use crate::{ConnectorError, Http, lenient};

/// Lines per request.
pub const BATCH: usize = 500;

/// The target's payroll items.
pub async fn payroll_items(
    http: &Http,
    cancel: &CancellationToken,
) -> Result<Vec<TargetItem>, ConnectorError> {
    let body = http
        .get_json("/payroll_items", &[], "the payroll items", cancel)
        .await?;
    let mut out: Vec<TargetItem> = lenient::records(&body, "/results/payroll_items")
        .into_iter()
        .filter_map(|item| {
            let name = item.get("name").and_then(Value::as_str)?.trim().to_owned();
            let external_id = match item.get("id")? {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => return None,
            };
            Some(TargetItem {
                external_id,
                name,
                wage_type: item
                    .get("wage_type")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                active: item.get("active").and_then(Value::as_bool).unwrap_or(true),
            })
        })
        .collect();
    out.sort_by_key(|a| a.name.to_lowercase());
    Ok(out)
}

fn wire_line(line: &OutgoingLine) -> Value {
    let mut wire = json!({
        "request_id": line.request_id,
        "user_id": line.employee_ref,
        "date": line.date.to_string(),
        // The most specific jobcode: the task's, else the job's.
        "jobcode_id": line.task_ref.as_ref().or(line.job_ref.as_ref()),
        "payroll_item_id": line.item_external_id,
        "payroll_item": line.item,
    });
    // A line is hours, or (a bonus) an amount on a bonus item.
    wire["duration_seconds"] = json!(line.seconds);
    if line.bonus_id.is_some() {
        wire["duration_seconds"] = Value::Null;
        wire["amount_cents"] = json!(line.cents);
    }
    wire
}

/// Sends `lines` and returns the answer to each. If a request fails, the
/// answers so far come back with the error: the lines not answered are
/// sent again next time.
pub async fn send_time(
    http: &Http,
    lines: &[OutgoingLine],
    cancel: &CancellationToken,
) -> (Vec<LineResult>, Option<ConnectorError>) {
    let mut results = Vec::with_capacity(lines.len());
    let batches = lines.len().div_ceil(BATCH);
    for (index, batch) in lines.chunks(BATCH).enumerate() {
        let body = json!({"lines": batch.iter().map(wire_line).collect::<Vec<_>>()});
        let what = format!("payroll lines (request {} of {batches})", index + 1);
        let answer = match http.post_json("/payroll_time", &body, &what, cancel).await {
            Ok(answer) => answer,
            Err(error) => return (results, Some(error)),
        };
        let answers = answer
            .get("results")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for line in batch {
            let found = answers.iter().find(|a| {
                a.get("request_id").and_then(Value::as_str) == Some(line.request_id.as_str())
            });
            let Some(found) = found else {
                continue;
            };
            let status = found.get("status").and_then(Value::as_str).unwrap_or("");
            let accepted = matches!(status, "created" | "duplicate");
            results.push(LineResult {
                line_no: line.line_no,
                accepted,
                edit_sequence: None,
                remote_id: found.get("id").and_then(|id| match id {
                    Value::Number(n) => Some(n.to_string()),
                    Value::String(s) => Some(s.clone()),
                    _ => None,
                }),
                message: (!accepted).then(|| {
                    found
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or("rejected without a reason")
                        .chars()
                        .take(300)
                        .collect()
                }),
            });
        }
    }
    (results, None)
}
