//! QuickBooks Desktop on the command line without the Web Connector
//! calling: turning publishing on, and a publish refused while it is off.
//! (Answering the Web Connector needs its password in the keyring: those
//! tests are in `keyring::quickbooks_desktop`.)

use crate::common;

#[test]
fn payroll_publishing_on_saves_a_read_write_qwc_and_says_what_to_do_in_the_web_connector() {
    let db = common::db();
    common::quickbooks_desktop(&db, 52_089);
    let folder = db.dir.path().join("qwc");
    let printed = db.ok(&[
        "payroll",
        "publishing",
        "on",
        "QuickBooks Desktop",
        "--qwc-folder",
        folder.to_str().expect("a path"),
    ]);
    let qwc = std::fs::read_dir(&folder)
        .expect("the folder was made")
        .map(|e| e.expect("an entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "qwc"))
        .expect("a .qwc file was saved");
    let text = std::fs::read_to_string(&qwc).expect("readable");
    assert!(
        text.contains("<IsReadOnly>false</IsReadOnly>"),
        "the new file asks QuickBooks for write access: {text}"
    );
    assert!(
        printed.contains(&qwc.display().to_string()) && printed.contains("Add an application"),
        "says where the file is and to add it to the Web Connector: {printed}"
    );
}

#[test]
fn publishing_to_quickbooks_desktop_while_it_is_off_says_how_to_turn_it_on() {
    let db = common::db();
    common::quickbooks_desktop(&db, 52_089);
    let error = db.fails(&["payroll", "publish", "--to", "QuickBooks Desktop"]);
    assert!(
        error.contains("timebridge payroll publishing on"),
        "names the command that turns it on: {error}"
    );
}

#[test]
fn a_sync_whose_wait_ends_before_the_web_connector_updates_fails_saying_what_to_check() {
    let db = common::db();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    common::quickbooks_desktop(&db, port);
    let error = db.fails(&["sync", "QuickBooks Desktop", "--wait-minutes", "0"]);
    assert!(
        error.contains("did not update") && error.contains("Update Selected"),
        "a wait that ends is a failure with what to do: {error}"
    );
}
