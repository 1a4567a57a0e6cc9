use serde_json::json;
use timebridge_core::middleware::Module;
use timebridge_emulators::quickbooks_desktop::{Company, CompanySpec, Edition};

use super::qbxml::List;
use super::session::{Offer, Read, Session};
use super::*;

/// Runs a whole session against an emulated company file, as the Web
/// Connector would (the HCP response on the first call, QuickBooks'
/// newest version on every call); returns what was read and every
/// percentage.
fn run(company: &mut Company) -> (Read, Vec<i32>) {
    let mut session = Session::new(&List::ALL);
    let mut percents = Vec::new();
    let hcp = company.hcp_response();
    let (country, (major, minor)) = (company.edition.country.clone(), company.edition.newest());
    for call in 0.. {
        let offer = Offer {
            country: &country,
            major,
            minor,
            hcp_response: if call == 0 { &hcp } else { "" },
        };
        session.offered(&offer).expect("QuickBooks is new enough");
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

fn requests_of<'a>(company: &'a Company, query: &'a str) -> impl Iterator<Item = &'a String> + 'a {
    company.requests.iter().filter(move |r| r.contains(query))
}

fn module(read: &Read, module: Module) -> &[Incoming] {
    read.modules
        .iter()
        .find(|(m, _)| *m == module)
        .map_or(&[], |(_, r)| r.as_slice())
}

#[test]
fn customers_are_read_through_an_iterator_in_pages_of_100() {
    let mut company = Company::generate(&CompanySpec {
        customers: 50,
        jobs_per_customer: 4,
        ..CompanySpec::default()
    });
    let (read, percents) = run(&mut company);
    assert_eq!(
        read.company, "Lakeside Builders LLC",
        "the company query names it"
    );
    assert_eq!(module(&read, Module::Customers).len(), 50);
    assert_eq!(
        module(&read, Module::Jobs).len(),
        200,
        "250 customers and jobs, over three iterator pages"
    );
    let pages: Vec<&String> = requests_of(&company, "<CustomerQueryRq").collect();
    assert_eq!(pages.len(), 3, "100 + 100 + 50");
    assert!(pages[0].contains(r#"iterator="Start""#));
    assert!(
        pages[1..]
            .iter()
            .all(|r| r.contains(r#"iterator="Continue""#)),
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
fn employees_are_read_whole_in_one_answer_without_an_iterator() {
    let mut company = Company::generate(&CompanySpec {
        employees: 250,
        ..CompanySpec::default()
    });
    let (read, _) = run(&mut company);
    assert_eq!(module(&read, Module::Employees).len(), 250);
    let requests: Vec<&String> = requests_of(&company, "<EmployeeQueryRq").collect();
    assert_eq!(requests.len(), 1, "one request for the whole list");
    assert!(
        !requests[0].contains("iterator") && !requests[0].contains("MaxReturned"),
        "EmployeeQueryRq has no iterator in Intuit's schema: {}",
        requests[0]
    );
}

#[test]
fn payroll_items_are_read_without_an_iterator() {
    let mut company = Company::generate(&CompanySpec::default());
    let (read, _) = run(&mut company);
    assert_eq!(
        module(&read, Module::PayItems).len(),
        5,
        "every wage item in one answer (QuickBooks would refuse an iterator there)"
    );
}

#[test]
fn the_version_written_is_the_newest_quickbooks_and_timebridge_both_read() {
    let mut company = Company::generate(&CompanySpec::default());
    run(&mut company);
    assert!(
        company
            .requests
            .iter()
            .all(|r| r.contains(r#"<?qbxml version="13.0"?>"#)),
        "QuickBooks 2024 reads 16.0; Timebridge writes up to 13.0"
    );
    let mut older = Company::generate(&CompanySpec {
        edition: Edition::up_to("QuickBooks Pro 2012", "US", (11, 0)),
        ..CompanySpec::default()
    });
    let (read, _) = run(&mut older);
    assert!(
        older
            .requests
            .iter()
            .all(|r| r.contains(r#"<?qbxml version="11.0"?>"#)),
        "QuickBooks 2012 gets 11.0"
    );
    assert_eq!(module(&read, Module::Employees).len(), 5, "and is read");
}

#[test]
fn a_quickbooks_older_than_2009_is_told_it_is_too_old() {
    let company = Company::generate(&CompanySpec {
        edition: Edition::up_to("QuickBooks Pro 2008", "US", (7, 0)),
        ..CompanySpec::default()
    });
    let mut session = Session::new(&List::ALL);
    let hcp = company.hcp_response();
    let error = session
        .offered(&Offer {
            country: "US",
            major: 7,
            minor: 0,
            hcp_response: &hcp,
        })
        .expect_err("7.0 is older than Timebridge writes");
    assert!(
        error.contains("up to 7.0") && error.contains("QuickBooks 2009"),
        "says what it reads and what is needed: {error}"
    );
    assert_eq!(session.next_request(), None, "no request is written");
}

#[test]
fn a_company_file_without_payroll_is_read_without_its_payroll_items() {
    let mut company = Company::generate(&CompanySpec {
        payroll: false,
        ..CompanySpec::default()
    });
    let (read, percents) = run(&mut company);
    assert_eq!(percents.last(), Some(&100), "the update completes");
    assert!(
        !read.modules.iter().any(|(m, _)| *m == Module::PayItems),
        "no pay items handed over: what was staged of them stays as it was"
    );
    assert_eq!(
        module(&read, Module::Employees).len(),
        5,
        "the other lists are read"
    );
    assert_eq!(module(&read, Module::Tasks).len(), 4);
    let note = read.note().expect("the update says what it did not read");
    assert!(
        note.contains("payroll items were not read")
            && note.contains("payroll is not turned on")
            && note.contains("3250"),
        "which list and why, in plain words: {note}"
    );
}

#[test]
fn a_list_the_quickbooks_user_may_not_see_is_left_as_it_was() {
    let mut company = Company::generate(&CompanySpec::default());
    company
        .denied
        .push(timebridge_emulators::quickbooks_desktop::List::Customers);
    let (read, _) = run(&mut company);
    assert!(
        !read
            .modules
            .iter()
            .any(|(m, _)| matches!(m, Module::Customers | Module::Jobs)),
        "customers and jobs are both left as they were"
    );
    assert_eq!(module(&read, Module::PayItems).len(), 5);
    let note = read.note().expect("a note");
    assert!(
        note.contains("customers and jobs") && note.contains("3260"),
        "{note}"
    );
}

#[test]
fn a_canadian_edition_reads_whole_lists_without_iterators() {
    let mut company = Company::generate(&CompanySpec {
        customers: 50,
        jobs_per_customer: 2,
        edition: Edition::up_to("QuickBooks Premier 2024 (Canada)", "CA", (16, 0)),
        ..CompanySpec::default()
    });
    let (read, _) = run(&mut company);
    assert_eq!(module(&read, Module::Jobs).len(), 100);
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
    let (read, _) = run(&mut company);
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
    let (read, _) = run(&mut company);
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

/// A session of a US QuickBooks reporting qbXML 13.0, reading `lists`.
fn offered_13(lists: &[List]) -> Session {
    let mut session = Session::new(lists);
    session
        .offered(&Offer {
            country: "US",
            major: 13,
            minor: 0,
            hcp_response: "",
        })
        .expect("13.0 is read");
    session
}

/// A session past its company query, ready to read `list`.
fn at_first_list(list: List) -> Session {
    let mut session = offered_13(&[list]);
    let _ = session.next_request();
    let _ = session.receive(
        r#"<QBXML><QBXMLMsgsRs><CompanyQueryRs requestID="1" statusCode="0" statusSeverity="Info"><CompanyRet><CompanyName>X</CompanyName></CompanyRet></CompanyQueryRs></QBXMLMsgsRs></QBXML>"#,
    );
    let _ = session.next_request();
    session
}

#[test]
fn a_refused_request_says_which_list_and_why() {
    let mut session = at_first_list(List::Employees);
    let error = session
        .receive(r#"<QBXML><QBXMLMsgsRs><EmployeeQueryRs requestID="2" statusCode="1000" statusSeverity="Error" statusMessage="There has been an internal error when processing the request."/></QBXMLMsgsRs></QBXML>"#)
        .expect_err("an error status fails the update");
    assert!(error.contains("employees"), "names the list: {error}");
    assert!(
        error.contains("internal error") && error.contains("1000"),
        "gives QuickBooks' reason and code: {error}"
    );
}

#[test]
fn a_feature_not_enabled_skips_that_list_only() {
    let mut session = at_first_list(List::Employees);
    let percent = session
        .receive(r#"<QBXML><QBXMLMsgsRs><EmployeeQueryRs requestID="2" statusCode="3250" statusSeverity="Error" statusMessage="This feature is not enabled or not available in this version of QuickBooks."/></QBXMLMsgsRs></QBXML>"#)
        .expect("3250 does not fail the update");
    assert_eq!(percent, 100, "the update goes on (here: it is done)");
    let read = session.into_read();
    assert!(
        read.modules.is_empty(),
        "nothing of the list is handed over"
    );
    assert_eq!(read.not_read.len(), 1);
}

#[test]
fn an_invalid_iterator_fails_the_update() {
    let mut session = at_first_list(List::Customers);
    let error = session
        .receive(r#"<QBXML><QBXMLMsgsRs><CustomerQueryRs requestID="2" statusCode="3391" statusSeverity="Error" statusMessage="The iteratorID &quot;{x}&quot; is not valid."/></QBXMLMsgsRs></QBXML>"#)
        .expect_err("3391 is not a list QuickBooks withholds");
    assert!(error.contains("3391"), "{error}");
}

#[test]
fn an_answer_to_another_request_is_refused() {
    let mut session = offered_13(&[]);
    let _ = session.next_request();
    let error = session
        .receive(r#"<QBXML><QBXMLMsgsRs><CompanyQueryRs requestID="9" statusCode="0"/></QBXMLMsgsRs></QBXML>"#)
        .expect_err("request 1 was sent, 9 answered");
    assert!(error.contains("does not answer"), "{error}");
}
