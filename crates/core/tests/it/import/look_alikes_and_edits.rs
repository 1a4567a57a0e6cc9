//! Look-alikes linked or created, and hand edits merged or settled.

use super::*;

#[test]
fn an_employee_that_looks_like_an_existing_one_is_offered_as_a_link_then_linked() {
    let t = common::store();
    let integration = connect(&t.store);
    let existing = t
        .store
        .write(|tx| {
            employees::create(
                tx,
                &EmployeeDraft {
                    employee_number: Some("E-7".into()),
                    first_name: "Rosa".into(),
                    last_name: "Díaz-Ortega".into(),
                    ..Default::default()
                },
                &NewRecordSource::Manual,
                &admin(),
                now(),
            )
        })
        .expect("created by hand")
        .id;
    stage(&t.store, integration, Module::Employees, &[rosa()], now());
    let id = staged_id(&t.store, integration, Module::Employees, "u1");

    let offered = import(&t.store, integration, Module::Employees, &[id], now());
    let options = ImportOptions {
        links: [(id, LinkChoice::Existing { local_id: existing })].into(),
        ..ImportOptions::default()
    };
    let linked = import_with(
        &t.store,
        integration,
        Module::Employees,
        &[id],
        &options,
        now(),
    );
    let all = local_employees(&t.store);

    assert_eq!(
        (
            offered.created,
            offered.needs_link[0].local_id,
            offered.needs_link[0].matched_on.as_str()
        ),
        (0, existing, "employee number"),
        "not created: offered as a link to the employee with the same number"
    );
    assert_eq!(linked.linked, 1, "linked when the admin says so");
    assert_eq!(all.len(), 1, "no duplicate employee");
    assert_eq!(
        all[0].meta.synced_status, "Imported from Sandbox",
        "the existing record is now tied to the integration"
    );
}

#[test]
fn choosing_create_new_for_a_look_alike_creates_a_second_employee() {
    let t = common::store();
    let integration = connect(&t.store);
    t.store
        .write(|tx| {
            employees::create(
                tx,
                &EmployeeDraft {
                    first_name: "Rosa".into(),
                    last_name: "Diaz".into(),
                    ..Default::default()
                },
                &NewRecordSource::Manual,
                &admin(),
                now(),
            )
        })
        .expect("created by hand");
    stage(&t.store, integration, Module::Employees, &[rosa()], now());
    let id = staged_id(&t.store, integration, Module::Employees, "u1");
    let options = ImportOptions {
        links: [(id, LinkChoice::CreateNew)].into(),
        ..ImportOptions::default()
    };

    let summary = import_with(
        &t.store,
        integration,
        Module::Employees,
        &[id],
        &options,
        now(),
    );

    assert_eq!(summary.created, 1, "a different Rosa Diaz is created");
    assert_eq!(local_employees(&t.store).len(), 2, "two employees now");
}

/// Rosa imported, then her phone edited by hand and her e-mail and phone
/// changed at the source.
fn edited_on_both_sides(t: &common::TestStore, integration: i64) -> (i64, i64) {
    stage(&t.store, integration, Module::Employees, &[rosa()], now());
    let id = staged_id(&t.store, integration, Module::Employees, "u1");
    import(&t.store, integration, Module::Employees, &[id], now());
    let local = local_employees(&t.store)[0].clone();
    t.store
        .write(|tx| {
            employees::update(
                tx,
                local.id,
                &EmployeeDraft {
                    phone: Some("555-0100".into()),
                    email: local.email.clone(),
                    employee_number: local.employee_number.clone(),
                    first_name: local.first_name.clone(),
                    last_name: local.last_name.clone(),
                    hire_date: local.hire_date,
                },
                &admin(),
                now() + Duration::hours(1),
            )
        })
        .expect("edited by hand");
    let mut changed = rosa();
    changed.data["email"] = json!("rosa.diaz@example.com");
    changed.data["phone"] = json!("555-0199");
    stage(
        &t.store,
        integration,
        Module::Employees,
        &[changed],
        now() + Duration::hours(2),
    );
    (id, local.id)
}

#[test]
fn a_field_edited_by_hand_and_changed_at_the_source_is_a_conflict_to_settle() {
    let t = common::store();
    let integration = connect(&t.store);
    let (id, _) = edited_on_both_sides(&t, integration);

    let summary = import(
        &t.store,
        integration,
        Module::Employees,
        &[id],
        now() + Duration::hours(3),
    );
    let fields: Vec<_> = summary.conflicts[0]
        .fields
        .iter()
        .map(|f| f.field.as_str())
        .collect();

    assert_eq!(
        fields,
        ["phone"],
        "only the phone changed on both sides: {summary:?}"
    );
    assert_eq!(
        summary.conflicts[0].fields[0].local,
        json!("555-0100"),
        "the hand-typed value is shown beside the incoming one"
    );
    assert_eq!(
        local_employees(&t.store)[0].email.as_deref(),
        Some("rosa@example.com"),
        "nothing is written until the admin chooses"
    );
}

#[test]
fn keeping_the_local_value_still_takes_the_fields_changed_only_at_the_source() {
    let t = common::store();
    let integration = connect(&t.store);
    let (id, _) = edited_on_both_sides(&t, integration);
    let options = ImportOptions {
        resolutions: [(id, Winner::Local)].into(),
        ..ImportOptions::default()
    };

    let summary = import_with(
        &t.store,
        integration,
        Module::Employees,
        &[id],
        &options,
        now() + Duration::hours(3),
    );
    let rosa = &local_employees(&t.store)[0];

    assert_eq!(summary.updated, 1, "updated: {summary:?}");
    assert_eq!(
        (rosa.phone.as_deref(), rosa.email.as_deref()),
        (Some("555-0100"), Some("rosa.diaz@example.com")),
        "the hand-typed phone stays; the new e-mail from the source is taken"
    );
}

#[test]
fn taking_the_incoming_value_overwrites_the_hand_edit() {
    let t = common::store();
    let integration = connect(&t.store);
    let (id, _) = edited_on_both_sides(&t, integration);
    let options = ImportOptions {
        resolutions: [(id, Winner::Incoming)].into(),
        ..ImportOptions::default()
    };

    import_with(
        &t.store,
        integration,
        Module::Employees,
        &[id],
        &options,
        now() + Duration::hours(3),
    );

    assert_eq!(
        local_employees(&t.store)[0].phone.as_deref(),
        Some("555-0199"),
        "the source's phone wins"
    );
}
