//! The staged records the rows make (`CSK-MAP-*`).

use super::*;

#[test]
fn an_employee_is_keyed_by_id_with_names_and_email() {
    // contract: CSK-MAP-1
    let dir = folder_with(&[("timesheet-export.csv", &fixture())]);
    let export = read_folder(dir.path()).expect("read");
    let ana = records(&export, Module::Employees)
        .iter()
        .find(|e| e.external_id == "E1")
        .expect("keyed by Employee ID");
    assert_eq!(
        (ana.label.as_str(), &ana.data),
        (
            "Ana Ortiz",
            &json!({"first_name": "Ana", "last_name": "Ortiz", "employee_number": "E1",
                    "email": "ana@example.com", "phone": null, "hire_date": null, "active": true})
        ),
        "first and last name and e-mail from their columns"
    );
    let named = read("Employee,Date,Hours\nMary  Ann   Lee,06/12/2026,8\n");
    let mary = &records(&named, Module::Employees)[0];
    assert_eq!(
        (mary.external_id.as_str(), &mary.data["last_name"]),
        ("mary ann lee", &json!("Lee")),
        "without an ID, keyed by the name; the last word is the last name"
    );
}

#[test]
fn jobs_belong_to_their_customer_and_tasks_to_no_job() {
    // contract: CSK-MAP-2
    let read = read(
        "Employee,Date,Hours,Customer,Job,Job #,Task,Task Code\nAna Ortiz,06/12/2026,8,Maple HOA,Maple Court,J-100,Mowing,\n",
    );
    let job = &records(&read, Module::Jobs)[0];
    let task = &records(&read, Module::Tasks)[0];
    assert_eq!(
        (
            job.external_id.as_str(),
            &job.data["customer_external_id"],
            task.external_id.as_str(),
            &task.data["job_external_id"]
        ),
        (
            "J-100",
            &json!("customer:maple hoa"),
            "mowing",
            &Value::Null
        ),
        "the job by its number, its customer's; the task by its name, under no job"
    );
}

#[test]
fn the_same_row_in_a_later_export_keeps_its_key() {
    // contract: CSK-MAP-3
    let export = format!("{CLOCKED}Ana Ortiz,E1,06/12/2026,7:00 AM,3:30 PM,Maple Court,Mowing\n");
    let with_notes = |note: &str| {
        export
            .replace("Task\n", "Task,Notes\n")
            .replace("Mowing\n", &format!("Mowing,{note}\n"))
    };
    let (first, again) = (
        read(&with_notes("front lawn")),
        read(&with_notes("front and back lawn")),
    );
    assert_eq!(
        (
            only_entry(&first).external_id.clone(),
            only_entry(&again).data["notes"].clone()
        ),
        (
            only_entry(&again).external_id.clone(),
            json!("front and back lawn")
        ),
        "an edited note is the same time entry, changed, so the next sync shows it updated"
    );
    let read = read("Timesheet ID,Employee,Date,Hours\n9001,Ana Ortiz,06/12/2026,8\n");
    assert_eq!(
        only_entry(&read).external_id,
        "9001",
        "a Timesheet ID is the key"
    );
}
