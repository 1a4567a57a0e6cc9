//! Golden checksums of every connector's staged data: each module of each
//! platform, from representative records (full ones, and ones whose fields
//! are empty, null or missing), mapped through the connectors' own entry
//! points. The checksums were recorded from the connectors as they were
//! before staged data became typed payloads; a change here means every
//! stored record would read as Updated at the next sync.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::{Value, json};
use timebridge_core::middleware::{Incoming, Module};

use crate::aspire::{Aspire, map_contact, map_opportunity, map_pay_code};
use crate::clockshark::ClockShark;
use crate::folder::FolderSource;
use crate::quickbooks_desktop::{map_list, qbxml::List};
use crate::quickbooks_time::{QuickBooksTime, map_user};
use crate::{CacheView, Connector};

/// `module external_id checksum`, one per record, sorted.
fn lines(platform: &str, modules: Vec<(Module, Vec<Incoming>)>) -> Vec<String> {
    let mut lines: Vec<String> = modules
        .into_iter()
        .flat_map(|(module, records)| {
            records.into_iter().map(move |r| {
                format!(
                    "{platform} {} {} {}",
                    module.as_str(),
                    r.external_id,
                    r.checksum() + " " + &r.data.to_string()
                )
            })
        })
        .collect();
    lines.sort();
    lines
}

/// The cached streams, each `(name, its record key, its records)`.
fn cache(streams: &[(&str, &str, Vec<Value>)]) -> CacheView {
    CacheView {
        streams: streams
            .iter()
            .map(|(name, id, records)| {
                let keyed = records
                    .iter()
                    .map(|r| (crate::lenient::id(r.get(id)).unwrap_or_default(), r.clone()))
                    .collect();
                ((*name).to_owned(), keyed)
            })
            .collect(),
    }
}

/// Maps `raw` through `connector`'s mapper of `stream`.
fn mapped(
    connector: &dyn Connector,
    stream: &str,
    cache: &CacheView,
    raw: &[Value],
) -> Vec<Incoming> {
    let stream = connector
        .streams()
        .iter()
        .find(|s| s.name == stream)
        .expect("a stream of the connector");
    let mapper = connector.mapper(stream, cache);
    raw.iter()
        .filter_map(|r| mapper(r).expect("the record maps"))
        .collect()
}

fn derived(
    connector: &dyn Connector,
    stream: &str,
    cache: &CacheView,
) -> Vec<(Module, Vec<Incoming>)> {
    let stream = connector
        .streams()
        .iter()
        .find(|s| s.name == stream)
        .expect("a stream of the connector");
    connector.derive(stream, cache)
}

fn quickbooks_time() -> Vec<String> {
    let users = vec![
        json!({"id": 1, "first_name": "Rosa", "last_name": "Diaz", "employee_number": 7,
               "email": "rosa@example.com", "mobile_number": "555-0100", "hire_date": "2024-03-01",
               "payroll_id": "P-7", "active": true}),
        json!({"id": 2, "first_name": "Sam", "last_name": "Lee", "employee_number": 0, "email": "",
               "hire_date": "0000-00-00", "payroll_id": "", "active": "0"}),
        json!({"id": 3}),
    ];
    let jobcodes = vec![
        json!({"id": 10, "parent_id": 0, "name": "Acme Builders", "type": "regular", "active": true}),
        json!({"id": 11, "parent_id": 10, "name": "Main St", "short_code": "J-100", "type": "regular", "active": true}),
        json!({"id": 12, "parent_id": 11, "name": "Framing", "short_code": "01-100", "type": "regular", "active": true}),
        json!({"id": 13, "parent_id": 11, "name": "Roofing", "type": "regular", "active": false}),
        json!({"id": 20, "parent_id": 0, "name": "Shop time", "type": "regular", "active": true}),
        json!({"id": 30, "parent_id": 0, "name": "Vacation", "type": "pto", "active": true}),
        json!({"id": 31, "parent_id": 0, "name": "Sick", "short_code": "SK", "type": "pto", "active": false}),
        json!({"id": 40, "parent_id": 0, "name": "Lunch", "type": "unpaid_break", "active": true}),
    ];
    let timesheets = vec![
        json!({"id": 100, "user_id": 1, "jobcode_id": 12, "start": "2026-11-02T07:00:00-06:00",
               "end": "2026-11-02T15:30:00-06:00", "date": "2026-11-02", "type": "regular",
               "on_the_clock": false, "notes": "east wall"}),
        json!({"id": 101, "user_id": 2, "jobcode_id": 20, "start": "2026-11-03T07:00:00-06:00",
               "end": "2026-11-03T09:00:00-06:00", "type": "regular", "on_the_clock": false}),
        json!({"id": 102, "user_id": 1, "jobcode_id": 30, "date": "2026-11-04", "duration": 28800,
               "type": "manual", "on_the_clock": false, "notes": ""}),
        json!({"id": 103, "user_id": 9, "jobcode_id": 0, "date": "2026-11-05", "duration": 3600,
               "type": "manual", "on_the_clock": false}),
        json!({"id": 104, "user_id": 1, "jobcode_id": 11, "start": "2026-11-06T07:00:00-06:00",
               "end": "2026-11-06T08:00:00-06:00", "type": "regular", "on_the_clock": false}),
    ];
    let projects = vec![
        json!({"id": 5, "name": "Main St project", "jobcode_id": 11}),
        json!({"id": 6, "name": "Loose project"}),
    ];
    let estimates = vec![
        json!({"id": 50, "project_id": 5, "active": true}),
        json!({"id": 51, "project_id": 6, "active": true}),
        json!({"id": 52, "project_id": 5, "active": false}),
    ];
    let items = vec![
        json!({"id": 500, "estimate_id": 50, "estimated_seconds": 3600, "active": true}),
        json!({"id": 501, "estimate_id": 50, "estimated_seconds": 1800, "active": true}),
        json!({"id": 502, "estimate_id": 50, "estimated_seconds": 999, "active": false}),
    ];
    let cache = cache(&[
        ("users", "id", users.clone()),
        ("jobcodes", "id", jobcodes),
        ("projects", "id", projects),
        ("estimates", "id", estimates),
        ("estimate_items", "id", items),
    ]);
    let mut modules = derived(&QuickBooksTime, "jobcodes", &cache);
    modules.extend(derived(&QuickBooksTime, "estimate_items", &cache));
    modules.push((
        Module::Employees,
        users.iter().filter_map(map_user).collect(),
    ));
    modules.push((
        Module::TimeEntries,
        mapped(&QuickBooksTime, "timesheets", &cache, &timesheets),
    ));
    lines("quickbooks_time", modules)
}

fn aspire() -> Vec<String> {
    let contacts = [
        json!({"ContactID": 12, "FirstName": "Ana", "LastName": "Ortiz", "EmployeeNumber": "E-12",
               "Email": "ana@example.com", "MobilePhone": "555-0112", "Active": true}),
        json!({"ContactID": 13, "ContactName": "Crew Lead", "OfficePhone": "555-0113", "Active": false}),
    ];
    let property = json!({"PropertyID": 300, "PropertyName": "Maple Court",
        "PropertyAddressLine1": "100 Main St", "PropertyAddressLine2": "Building B",
        "PropertyAddressCity": "Denver", "PropertyAddressStateProvinceCode": "CO",
        "PropertyAddressZipCode": "80202"});
    let properties = HashMap::from([("300".to_owned(), property)]);
    let opportunities = [
        json!({"OpportunityID": 77, "OpportunityNumber": 1042, "OpportunityName": "Maple Court maintenance",
               "OpportunityStatus": "Won", "PropertyID": 300}),
        json!({"OpportunityID": 78, "PropertyID": 999, "PropertyName": "Cedar Ridge HOA",
               "OpportunityStatus": "Lost"}),
        json!({"OpportunityID": 79, "OpportunityName": "Snow"}),
    ];
    let pay_codes = [
        json!({"PayCodeID": 1, "PayCodeName": "Regular", "PayCode": "REG", "OTPaycode": false, "Active": true}),
        json!({"PayCodeID": 2, "PayCodeName": "Overtime", "OTPaycode": true, "PremiumPercent": 50}),
        json!({"PayCodeID": 3, "PayCodeName": "Double Time", "OTPaycode": null}),
        json!({"PayCodeID": 4, "PayCodeName": "Sick", "OTPaycode": false, "Active": false}),
        json!({"PayCodeID": 5, "PayCodeName": "Bonus", "OTPaycode": false, "ExcludeFromOT": true,
               "PremiumPercent": "12.5"}),
    ];
    let times = vec![
        json!({"WorkTicketTimeID": 501, "ContactID": 12, "WorkTicketID": 900, "WorkTicketNumber": 4410,
               "WorkTicketTimeDate": "2026-06-12T00:00:00", "PayCodeID": 3, "Hours": 8.5}),
        json!({"WorkTicketTimeID": 502, "ContactID": 12, "WorkTicketID": 900, "WorkTicketNumber": 4410,
               "WorkTicketTimeDate": "2026-06-12T00:00:00", "StartTime": "2026-06-12T07:00:00",
               "EndTime": "2026-06-12T15:30:00", "BranchTimeZone": "America/Denver"}),
        json!({"WorkTicketTimeID": 503, "ContactID": 13, "WorkTicketTimeDate": "2026-06-13T00:00:00",
               "StartTime": "2026-06-13T07:00:00", "EndTime": "2026-06-13T16:00:00", "BreakTime": 0.5,
               "HasBreakTime": true, "BranchTimeZone": "America/Denver", "ContactName": "Crew Lead"}),
    ];
    let tickets = vec![json!({"WorkTicketID": 900, "OpportunityID": 77})];
    let cache = cache(&[
        ("work_tickets", "WorkTicketID", tickets),
        ("contacts", "ContactID", contacts.to_vec()),
    ]);
    let modules = vec![
        (
            Module::Employees,
            contacts.iter().filter_map(map_contact).collect(),
        ),
        (
            Module::Jobs,
            opportunities
                .iter()
                .filter_map(|o| map_opportunity(o, &properties))
                .collect(),
        ),
        (
            Module::PayItems,
            pay_codes.iter().filter_map(map_pay_code).collect(),
        ),
        (
            Module::TimeEntries,
            mapped(&Aspire, "work_ticket_times", &cache, &times),
        ),
    ];
    lines("aspire", modules)
}

fn clockshark() -> Vec<String> {
    let export = "Employee,Employee ID,Email,Date,Clock In,Clock Out,Customer,Job,Job #,Task,Task Code,Notes\n\
        Ana Ortiz,E1,ana@example.com,06/08/2026,7:00 AM,3:30 PM,Maple HOA,Maple Court,J-100,Mowing,T-10,front lawn\n\
        Ben Nguyen,,,06/09/2026,10:00 PM,11:00 PM,,Cedar Ridge,,Snow Removal,,\n\
        Ben Nguyen,,,06/10/2026,8:00 AM,9:00 AM,,,,,,\n";
    let time_off = "Employee,Date,Hours,Time Off\nAna Ortiz,06/11/2026,8,8\n";
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut files: Vec<PathBuf> = Vec::new();
    for (name, text) in [("timesheets.csv", export), ("time-off.csv", time_off)] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("written");
        files.push(path);
    }
    let zone = "America/Denver".parse().expect("a zone");
    let from = "2026-06-01".parse().expect("a date");
    let read = ClockShark
        .read(
            &files,
            &crate::folder::FolderOptions {
                zone,
                pull_from: from,
                layout: None,
            },
        )
        .expect("the exports are read");
    lines("clockshark", read.modules)
}

fn quickbooks_desktop() -> Vec<String> {
    let employees = [
        json!({"ListID": "80000007-1", "Name": "Aisha Okafor", "FirstName": "Aisha", "LastName": "Okafor",
               "AccountNumber": "E007", "Email": "aisha@example.com", "Mobile": "555-0199",
               "HiredDate": "2024-05-13", "IsActive": "true"}),
        json!({"ListID": "80000008-1", "Name": "Mary Ann Lee", "Phone": "555-0100", "IsActive": "false"}),
    ];
    let customers = [
        json!({"ListID": "C1", "Name": "Harbor", "CompanyName": "Harbor View Condos", "Email": "office@harbor.example",
               "Phone": "555-0300", "IsActive": "true"}),
        json!({"ListID": "C2", "Name": "Lone"}),
        json!({"ListID": "J1", "Name": "Phase 1", "FullName": "Harbor:Phase 1", "ParentRef": {"ListID": "C1"},
               "ShipAddress": {"Addr1": "1 Harbor Way", "City": "Portland", "State": "OR"},
               "JobStatus": "InProgress", "IsActive": "true"}),
        json!({"ListID": "J2", "Name": "Unit 4B", "FullName": "Harbor:Phase 1:Unit 4B",
               "ParentRef": {"ListID": "J1"}, "JobStatus": "Closed"}),
    ];
    let items = [
        json!({"ListID": "S1", "Name": "Framing", "FullName": "Labor:Framing",
               "SalesOrPurchase": {"Desc": "Framing labor"}, "IsActive": "true"}),
        json!({"ListID": "S2", "Name": "Cleanup", "IsActive": "false"}),
    ];
    let wages = [
        json!({"ListID": "W1", "Name": "Hourly Rate", "WageType": "HourlyRegular"}),
        json!({"ListID": "W2", "Name": "Overtime Rate", "WageType": "HourlyOvertime"}),
        json!({"ListID": "W3", "Name": "Double-time Rate", "WageType": "HourlyOvertime"}),
        json!({"ListID": "W4", "Name": "Sick Hourly", "WageType": "HourlySick", "IsActive": "false"}),
    ];
    let mut modules = Vec::new();
    for (list, records) in [
        (List::Employees, &employees[..]),
        (List::Customers, &customers[..]),
        (List::ServiceItems, &items[..]),
        (List::PayrollWageItems, &wages[..]),
    ] {
        modules.extend(map_list(list, records).0);
    }
    lines("quickbooks_desktop", modules)
}

/// Recorded from the connectors before staged data were typed: `platform
/// module external_id checksum data`, sorted per platform.
const GOLDEN: &str = r#"
quickbooks_time budgets 50 6e1a71cd6b14452cdadb964da7832e47 {"amount_cents":null,"budget_seconds":5400,"job_external_id":"11","notes":"Main St project","task_external_id":null}
quickbooks_time budgets 51 fe3782d8f83f4e116a4d2d1a56717f68 {"amount_cents":null,"budget_seconds":0,"job_external_id":null,"notes":"Loose project","task_external_id":null}
quickbooks_time customers 10 5c2cd6b3befa1ba0b7368e0b7723fe09 {"active":true,"name":"Acme Builders"}
quickbooks_time employees 1 42992b0a389390d32146656b16ea79dc {"active":true,"email":"rosa@example.com","employee_number":"7","first_name":"Rosa","hire_date":"2024-03-01","last_name":"Diaz","payroll_id":"P-7","phone":"555-0100"}
quickbooks_time employees 2 b63dc4ac8dcbc01f72958a1e7d3f96c7 {"active":false,"email":null,"employee_number":null,"first_name":"Sam","hire_date":null,"last_name":"Lee","payroll_id":null,"phone":null}
quickbooks_time employees 3 3a16b563b3d505132e28922dc5b2ccdb {"active":true,"email":null,"employee_number":null,"first_name":"","hire_date":null,"last_name":"","payroll_id":null,"phone":null}
quickbooks_time jobs 11 5fd8678c860c60fb11c3bfa7ff18eaee {"active":true,"customer_external_id":"10","job_number":"J-100","name":"Main St"}
quickbooks_time jobs 20 597aa5b998473e180c5c0497a28b9d6f {"active":true,"customer_external_id":null,"job_number":null,"name":"Shop time"}
quickbooks_time pay_items 30 3d7345ad0ae12f7571e81c7a15135e23 {"active":true,"category":"pto","code":"Vacation","name":"Vacation"}
quickbooks_time pay_items 31 8753507f4e1d12582b80bc1c2481edd0 {"active":false,"category":"pto","code":"SK","name":"Sick"}
quickbooks_time tasks 12 232a95469ee554c585f0d014d8008c40 {"active":true,"code":"01-100","job_external_id":"11","name":"Framing"}
quickbooks_time tasks 13 588e0bee19c17419b18f2973fec84c77 {"active":false,"code":"Roofing","job_external_id":"11","name":"Roofing"}
quickbooks_time time_entries 100 121e748c5c71848abd426bb4dca55d11 {"employee_external_id":"1","job_external_id":"11","notes":"east wall","pay_item_external_id":null,"span":{"end":"2026-11-02T15:30:00-06:00","kind":"clock","start":"2026-11-02T07:00:00-06:00"},"task_external_id":"12"}
quickbooks_time time_entries 101 ad36b1d6a13b91acf94a7c2fefeeecd3 {"employee_external_id":"2","job_external_id":"20","notes":"","pay_item_external_id":null,"span":{"end":"2026-11-03T09:00:00-06:00","kind":"clock","start":"2026-11-03T07:00:00-06:00"},"task_external_id":null}
quickbooks_time time_entries 102 b4ff57f29198c288450968f656749265 {"employee_external_id":"1","job_external_id":null,"notes":"","pay_item_external_id":"30","span":{"date":"2026-11-04","duration_seconds":28800,"kind":"manual"},"task_external_id":null}
quickbooks_time time_entries 103 571c12eef9a01b93365dda26219f715d {"employee_external_id":"9","job_external_id":null,"notes":"","pay_item_external_id":null,"span":{"date":"2026-11-05","duration_seconds":3600,"kind":"manual"},"task_external_id":null}
quickbooks_time time_entries 104 fb4f284b5b4a800f0e477cb4e3b7f4d1 {"employee_external_id":"1","job_external_id":"11","notes":"","pay_item_external_id":null,"span":{"end":"2026-11-06T08:00:00-06:00","kind":"clock","start":"2026-11-06T07:00:00-06:00"},"task_external_id":null}
aspire employees 12 8388137fac9341494a4a8290eb340132 {"active":true,"email":"ana@example.com","employee_number":"E-12","first_name":"Ana","hire_date":null,"last_name":"Ortiz","phone":"555-0112"}
aspire employees 13 763864b2ba5a45a91e8450dcf60bb600 {"active":false,"email":null,"employee_number":null,"first_name":"","hire_date":null,"last_name":"","phone":"555-0113"}
aspire jobs 77 1b7a6d47ffbe0390550587d9afa8548b {"active":true,"address":"100 Main St, Building B, Denver, CO 80202","customer_external_id":null,"job_number":"1042","name":"Maple Court maintenance","property":"Maple Court","status":"Won"}
aspire jobs 78 4ba633ffe1823a6cc0479fb123088a62 {"active":false,"address":null,"customer_external_id":null,"job_number":null,"name":"Opportunity 78","property":"Cedar Ridge HOA","status":"Lost"}
aspire jobs 79 052f579f4fd506aa694bb220956b8dd4 {"active":true,"address":null,"customer_external_id":null,"job_number":null,"name":"Snow","property":null,"status":null}
aspire pay_items 1 40ea046b7fa59d85bb5df9a1490966a7 {"active":true,"category":"regular","code":"REG","multiplier":1.0,"name":"Regular"}
aspire pay_items 2 665c3b1750abae03d07911f5adaac2fd {"active":true,"category":"overtime","code":"Overtime","multiplier":1.5,"name":"Overtime"}
aspire pay_items 3 d160e48cc82d672cda3f46ad55d391aa {"active":true,"category":"double_time","code":"Double Time","multiplier":2.0,"name":"Double Time"}
aspire pay_items 4 295c76c47904badf65e7b37d23f09222 {"active":false,"category":"sick","code":"Sick","multiplier":1.0,"name":"Sick"}
aspire pay_items 5 0448702b972a6de7c8206ffbf01f5587 {"active":true,"category":"other","code":"Bonus","multiplier":1.125,"name":"Bonus"}
aspire time_entries 501 cf2c85b609bb93d3ac25704519b7a533 {"employee_external_id":"12","job_external_id":"77","notes":"Work ticket 4410","pay_item_external_id":"3","span":{"date":"2026-06-12","duration_seconds":30600,"kind":"manual"},"task_external_id":null}
aspire time_entries 502 c6c0fe72975238e22d039c2e768c8ba2 {"employee_external_id":"12","job_external_id":"77","notes":"Work ticket 4410","pay_item_external_id":null,"span":{"end":"2026-06-12T15:30:00-06:00","kind":"clock","start":"2026-06-12T07:00:00-06:00"},"task_external_id":null}
aspire time_entries 503 692dda473a56429c3a1f93dc0a9ca312 {"employee_external_id":"13","job_external_id":null,"notes":"clocked 07:00–16:00, less a 0.50 h break","pay_item_external_id":null,"span":{"date":"2026-06-13","duration_seconds":30600,"kind":"manual"},"task_external_id":null}
clockshark customers customer:maple hoa f08c20c34475b6d283fe956a28ccc685 {"active":true,"email":null,"name":"Maple HOA","phone":null}
clockshark employees E1 632f27390a5f898213ca297313cfd285 {"active":true,"email":"ana@example.com","employee_number":"E1","first_name":"Ana","hire_date":null,"last_name":"Ortiz","phone":null}
clockshark employees ana ortiz 28402f208de090cb8e18c884890a2efe {"active":true,"email":null,"employee_number":null,"first_name":"Ana","hire_date":null,"last_name":"Ortiz","phone":null}
clockshark employees ben nguyen f647fc209fcdd018378bcb9211083783 {"active":true,"email":null,"employee_number":null,"first_name":"Ben","hire_date":null,"last_name":"Nguyen","phone":null}
clockshark jobs J-100 cdacab67468948e8afce8c2169e61f4d {"active":true,"customer_external_id":"customer:maple hoa","job_number":"J-100","name":"Maple Court"}
clockshark jobs cedar ridge d0dea062762ee426150545a048ba915e {"active":true,"customer_external_id":null,"job_number":null,"name":"Cedar Ridge"}
clockshark pay_items time-off 9537b067049f2fce222eefb21504598a {"active":true,"category":"pto","code":"Time Off","name":"Time Off"}
clockshark tasks T-10 712dff686ac6bf5cb74b87135b7ec746 {"active":true,"code":"T-10","job_external_id":null,"name":"Mowing"}
clockshark tasks snow removal 53e5bb1dd8224cb067b9c344c8a7da99 {"active":true,"code":"Snow Removal","job_external_id":null,"name":"Snow Removal"}
clockshark time_entries row-aa7b56665a9b3b11 2208ef2049f51b79e68dbd560834bd39 {"employee_external_id":"ana ortiz","job_external_id":null,"notes":"","pay_item_external_id":"time-off","span":{"date":"2026-06-11","duration_seconds":28800,"kind":"manual"},"task_external_id":null}
clockshark time_entries row-ba4080c7cb7678d6 d0ebcd8269cfd37a772e46b462bc9d63 {"employee_external_id":"ben nguyen","job_external_id":"cedar ridge","notes":"","pay_item_external_id":null,"span":{"end":"2026-06-09T23:00:00-06:00","kind":"clock","start":"2026-06-09T22:00:00-06:00"},"task_external_id":"snow removal"}
clockshark time_entries row-d7dbc05c99612989 7fa5a06ebf9be54abef8edb9bdd411e8 {"employee_external_id":"E1","job_external_id":"J-100","notes":"front lawn","pay_item_external_id":null,"span":{"end":"2026-06-08T15:30:00-06:00","kind":"clock","start":"2026-06-08T07:00:00-06:00"},"task_external_id":"T-10"}
clockshark time_entries row-d8178ee7dc6817cb abfce2dd7328abfdc8c98590f7ad89c4 {"employee_external_id":"ben nguyen","job_external_id":null,"notes":"","pay_item_external_id":null,"span":{"end":"2026-06-10T09:00:00-06:00","kind":"clock","start":"2026-06-10T08:00:00-06:00"},"task_external_id":null}
quickbooks_desktop customers C1 10b440377f9c59f129e3a6b3ee96e053 {"active":true,"email":"office@harbor.example","name":"Harbor View Condos","phone":"555-0300"}
quickbooks_desktop customers C2 33884a58071c117d3fc7fea44a9d7d00 {"active":true,"email":null,"name":"Lone","phone":null}
quickbooks_desktop employees 80000007-1 2e99ad79b152a025902c02d28e37d223 {"active":true,"email":"aisha@example.com","employee_number":"E007","first_name":"Aisha","hire_date":"2024-05-13","last_name":"Okafor","phone":"555-0199"}
quickbooks_desktop employees 80000008-1 9a443bce62e325d410fcd2d814774eff {"active":false,"email":null,"employee_number":null,"first_name":"Mary Ann","hire_date":null,"last_name":"Lee","phone":"555-0100"}
quickbooks_desktop jobs J1 07f035cda31ca810fb567d94a9bef98c {"active":true,"address":"1 Harbor Way, Portland, OR","customer_external_id":"C1","job_number":null,"name":"Phase 1","status":"InProgress"}
quickbooks_desktop jobs J2 5c7dd71abdf972e4a73a238c0af3afc1 {"active":false,"address":null,"customer_external_id":"C1","job_number":null,"name":"Unit 4B","status":"Closed"}
quickbooks_desktop pay_items W1 f8c35ed0dbc5f149c193d3d363e93ed8 {"active":true,"category":"regular","code":"Hourly Rate","multiplier":1.0,"name":"Hourly Rate"}
quickbooks_desktop pay_items W2 5c18033c1f289356eaea7b5f4a4caa00 {"active":true,"category":"overtime","code":"Overtime Rate","multiplier":1.5,"name":"Overtime Rate"}
quickbooks_desktop pay_items W3 67394227baf10b6eef4f460123699fb6 {"active":true,"category":"double_time","code":"Double-time Rate","multiplier":2.0,"name":"Double-time Rate"}
quickbooks_desktop pay_items W4 23c605b4711f93aa48fcd0176abc006d {"active":false,"category":"sick","code":"Sick Hourly","multiplier":1.0,"name":"Sick Hourly"}
quickbooks_desktop tasks S1 45915e28bd456ef3e6a54d9a43192cfa {"active":true,"code":"Framing","job_external_id":null,"name":"Framing labor"}
quickbooks_desktop tasks S2 ff07eaa8fd04cb536dc5f37b76543c94 {"active":false,"code":"Cleanup","job_external_id":null,"name":"Cleanup"}
"#;

#[test]
fn every_connector_stages_the_checksums_it_always_did() {
    let actual = [
        quickbooks_time(),
        aspire(),
        clockshark(),
        quickbooks_desktop(),
    ]
    .concat();
    let expected: Vec<&str> = GOLDEN
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        actual, expected,
        "a changed checksum would mark every stored record of that kind as Updated at the next sync"
    );
}
