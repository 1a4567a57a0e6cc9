use serde_json::json;
use timebridge_core::middleware::Module;
use timebridge_emulators::quickbooks_desktop::{Company, CompanySpec};

use super::qbxml::List;
use super::session::{Read, Session};
use super::*;

/// Runs a whole session against an emulated company file, as the Web
/// Connector would; returns what was read and every percentage.
fn run(company: &mut Company, country: &str, version: (u32, u32)) -> (Read, Vec<i32>) {
    let mut session = Session::new(&List::ALL);
    let mut percents = Vec::new();
    loop {
        session.offered(country, version.0, version.1);
        let Some(request) = session.next_request() else {
            break;
        };
        let answer = company
            .answer(&request)
            .expect("QuickBooks reads every request");
        let percent = session.receive(&answer).expect("every answer is read");
        percents.push(percent);
        if percent == 100 {
            break;
        }
    }
    (session.into_read(), percents)
}

fn module(read: &Read, module: Module) -> &[Incoming] {
    read.modules
        .iter()
        .find(|(m, _)| *m == module)
        .map_or(&[], |(_, r)| r.as_slice())
}

#[test]
fn a_session_reads_every_list_through_iterators_in_pages_of_100() {
    let mut company = Company::generate(&CompanySpec {
        employees: 250,
        ..CompanySpec::default()
    });
    let (read, percents) = run(&mut company, "US", (16, 0));
    assert_eq!(
        read.company, "Lakeside Builders LLC",
        "the company query names it"
    );
    assert_eq!(
        module(&read, Module::Employees).len(),
        250,
        "all 250 employees, over three iterator pages"
    );
    let employee_requests = company
        .requests
        .iter()
        .filter(|r| r.contains("EmployeeQueryRq"))
        .count();
    assert_eq!(employee_requests, 3, "100 + 100 + 50");
    assert!(
        company
            .requests
            .iter()
            .any(|r| r.contains(r#"iterator="Continue""#)),
        "later pages continue the iterator"
    );
    assert_eq!(
        percents.last(),
        Some(&100),
        "the last answer completes the update"
    );
    assert!(
        percents.windows(2).all(|w| w[0] <= w[1]),
        "progress never goes back: {percents:?}"
    );
}

#[test]
fn payroll_items_are_read_without_an_iterator() {
    let mut company = Company::generate(&CompanySpec::default());
    let (read, _) = run(&mut company, "US", (13, 0));
    assert_eq!(
        module(&read, Module::PayItems).len(),
        5,
        "every wage item in one answer (QuickBooks would refuse an iterator there)"
    );
}

#[test]
fn a_canadian_edition_reads_whole_lists_without_iterators() {
    let mut company = Company::generate(&CompanySpec {
        employees: 150,
        ..CompanySpec::default()
    });
    let (read, _) = run(&mut company, "CA", (13, 0));
    assert_eq!(module(&read, Module::Employees).len(), 150);
    assert!(
        !company.requests.iter().any(|r| r.contains("iterator=")),
        "iterators exist only in US editions"
    );
}

#[test]
fn jobs_land_under_their_top_customer() {
    let mut company = Company::generate(&CompanySpec {
        customers: 2,
        jobs_per_customer: 1,
        ..CompanySpec::default()
    });
    let customer = company.customers[0]["ListID"]
        .as_str()
        .expect("an id")
        .to_owned();
    let job = company.customers[1]["ListID"]
        .as_str()
        .expect("an id")
        .to_owned();
    company.add_customer("Unit 4B", Some(&job));
    let (read, _) = run(&mut company, "US", (13, 0));
    let jobs = module(&read, Module::Jobs);
    let nested = jobs
        .iter()
        .find(|j| j.data["name"] == "Unit 4B")
        .expect("the job of a job is a job");
    assert_eq!(
        nested.data["customer_external_id"], customer,
        "a job two levels down belongs to the top customer"
    );
    assert_eq!(nested.label, "Harbor View Condos:Phase 1:Unit 4B");
    assert_eq!(module(&read, Module::Customers).len(), 2);
}

#[test]
fn an_inactive_employee_is_read_and_marked_inactive() {
    let mut company = Company::generate(&CompanySpec::default());
    let id = company.employees[0]["ListID"]
        .as_str()
        .expect("an id")
        .to_owned();
    company.edit(&id, "IsActive", "false");
    let (read, _) = run(&mut company, "US", (13, 0));
    let employee = module(&read, Module::Employees)
        .iter()
        .find(|e| e.external_id == id)
        .expect("ActiveStatus All reads inactive employees too");
    assert_eq!(employee.data["active"], false);
}

#[test]
fn an_employee_maps_its_names_number_and_contact() {
    let raw = json!({
        "ListID": "80000007-1", "Name": "Aisha Okafor", "FirstName": "Aisha",
        "LastName": "Okafor", "AccountNumber": "E007", "Email": "aisha@example.com",
        "Mobile": "555-0199", "HiredDate": "2024-05-13", "IsActive": "true",
    });
    let employee = map_employee(&raw).expect("mapped");
    assert_eq!(employee.external_id, "80000007-1");
    assert_eq!(
        employee.data["employee_number"], "E007",
        "AccountNumber is the employee number"
    );
    assert_eq!(employee.data["phone"], "555-0199", "the mobile comes first");
    assert_eq!(employee.data["hire_date"], "2024-05-13");
}

#[test]
fn an_employee_with_only_a_name_is_split_into_first_and_last() {
    let employee = map_employee(&json!({"ListID": "1", "Name": "Mary Ann Lee"})).expect("mapped");
    assert_eq!(employee.data["first_name"], "Mary Ann");
    assert_eq!(employee.data["last_name"], "Lee");
}

#[test]
fn wage_types_set_the_pay_category() {
    let category = |name: &str, wage_type: &str| {
        map_wage_item(&json!({"ListID": "1", "Name": name, "WageType": wage_type}))
            .expect("mapped")
            .data["category"]
            .clone()
    };
    assert_eq!(category("Overtime Rate", "HourlyOvertime"), "overtime");
    assert_eq!(
        category("Double-time Rate", "HourlyOvertime"),
        "double_time",
        "an overtime item named double is double time"
    );
    assert_eq!(category("Sick Hourly", "HourlySick"), "sick");
    assert_eq!(category("Vacation Salary", "SalaryVacation"), "pto");
    assert_eq!(category("Bonus", "Bonus"), "other");
    assert_eq!(category("Hourly Rate", "HourlyRegular"), "regular");
}

#[test]
fn a_refused_request_says_which_list_and_why() {
    let mut session = Session::new(&[List::Employees]);
    let _ = session.next_request();
    let _ = session.receive(
        r#"<QBXML><QBXMLMsgsRs><CompanyQueryRs requestID="1" statusCode="0" statusSeverity="Info"><CompanyRet><CompanyName>X</CompanyName></CompanyRet></CompanyQueryRs></QBXMLMsgsRs></QBXML>"#,
    );
    let _ = session.next_request();
    let error = session
        .receive(r#"<QBXML><QBXMLMsgsRs><EmployeeQueryRs requestID="2" statusCode="3250" statusSeverity="Error" statusMessage="This feature is not enabled or not available in this version of QuickBooks."/></QBXMLMsgsRs></QBXML>"#)
        .expect_err("an error status fails the update");
    assert!(error.contains("employees"), "names the list: {error}");
    assert!(
        error.contains("not enabled"),
        "gives QuickBooks' reason: {error}"
    );
}

#[test]
fn an_answer_to_another_request_is_refused() {
    let mut session = Session::new(&[]);
    let _ = session.next_request();
    let error = session
        .receive(r#"<QBXML><QBXMLMsgsRs><CompanyQueryRs requestID="9" statusCode="0"/></QBXMLMsgsRs></QBXML>"#)
        .expect_err("request 1 was sent, 9 answered");
    assert!(error.contains("does not answer"), "{error}");
}
