//! Connecting the Sandbox and syncing it, in the real window.

use fantoccini::Locator;
use timebridge_e2e::{ADMIN_PASSWORD, ADMIN_USER, App, Result, Sandbox};
use timebridge_emulators::quickbooks_time::{
    CLIENT_ID, CLIENT_SECRET, Company, CompanySpec, Emulator, EmulatorOptions,
};

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn the_sandbox_connects_syncs_with_progress_and_fills_its_module_tabs() -> Result {
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    let app = App::launch_signed_in(&sandbox, ADMIN_USER, ADMIN_PASSWORD).await?;
    app.goto("integrations").await?;
    app.wait_text("Available integrations").await?;
    app.screenshot("integrations").await?;

    app.connect_platform("sandbox").await?;
    let connect = app
        .wait_css("dialog[open] button[form='connect-form']")
        .await?;
    app.screenshot("connect-sandbox").await?;
    connect.click().await?;
    app.first_sync().await?;
    app.wait_text("Synced").await?;
    let events = app
        .client
        .execute("return Number(document.querySelector('[data-progress-events]').dataset.progressEvents);", vec![])
        .await?;
    assert!(
        events.as_u64().unwrap_or(0) >= 5,
        "the window received the sync's progress as it went (one report per page at least): {events}"
    );

    app.wait_text("Employees · 12").await?;
    let new_filter = app
        .wait_css("button[data-filter='new']")
        .await?
        .text()
        .await?;
    assert_eq!(
        new_filter, "New 12",
        "the employees tab fills with the demo crew, all New"
    );
    app.client
        .find(Locator::XPath(
            "//a[starts-with(normalize-space(.), 'Time entries ·')]",
        ))
        .await?
        .click()
        .await?;
    app.wait_css("tbody tr[data-row]").await?;
    let rows = app
        .client
        .find_all(Locator::Css("tbody tr[data-row]"))
        .await?
        .len();
    assert!(
        rows >= 50,
        "time entries are listed, a page at a time: {rows}"
    );
    app.click_link("Employees · 12").await?;
    app.wait_text("Marcus Bell").await?;
    app.screenshot("integration-sandbox").await?;
    app.quit().await
}

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn quickbooks_time_connects_by_signing_in_in_the_browser() -> Result {
    let now = chrono::Utc::now();
    let emulator = Emulator::start(
        Company::generate(&CompanySpec::demo(now.date_naive()), now),
        EmulatorOptions::default(),
    )
    .await?;
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    let app = App::launch_signed_in(&sandbox, ADMIN_USER, ADMIN_PASSWORD).await?;
    app.goto("integrations").await?;
    app.connect_platform("quickbooks_time").await?;
    app.wait_css("dialog[open] button[form='connect-form']")
        .await?;
    app.fill("Client ID", CLIENT_ID).await?;
    app.fill("Client secret", CLIENT_SECRET).await?;
    app.fill("API address", &emulator.base_url()).await?;
    app.click_button("Sign in with QuickBooks Time").await?;

    // The browser's part: open the sign-in page the window offers, which
    // sends it back to Timebridge's loopback listener.
    let waiting = app.wait_css("[data-sign-in-waiting]").await?;
    let sign_in_page = waiting
        .attr("data-sign-in-waiting")
        .await?
        .ok_or("the waiting panel carries the sign-in address")?;
    app.screenshot("sign-in-waiting").await?;
    let browser_page = reqwest::get(&sign_in_page).await?.text().await?;

    assert!(
        browser_page.contains("You can close this tab"),
        "the browser is told the sign-in is done: {browser_page}"
    );
    // The connection made in the browser syncs (the scheduler may start
    // its first sync before Sync now is pressed).
    app.first_sync().await?;
    app.wait_text("Employees · 12").await?;
    app.quit().await
}

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn imported_records_reach_records_updates_show_their_diff_and_archives_stay() -> Result {
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    let app = App::launch_signed_in(&sandbox, ADMIN_USER, ADMIN_PASSWORD).await?;
    app.goto("integrations").await?;
    app.connect_platform("sandbox").await?;
    app.click_css("dialog[open] button[form='connect-form']")
        .await?;
    app.first_sync().await?;

    app.wait_text("Employees · 12").await?;
    app.import_all().await?;
    app.open_module_tab("Time entries").await?;
    app.wait_css("[data-hours-chart]").await?;
    app.import_all().await?;

    app.click_button("Simulate changes at the source").await?;
    app.wait_text("Sync to bring the changes in").await?;
    app.sync_and_wait().await?;
    app.open_module_tab("Employees").await?;
    app.click_css("button[data-filter='updated']").await?;
    // Wait for the filtered list: the row whose status reads Updated.
    app.client
        .wait()
        .for_element(Locator::XPath(
            "//tbody/tr[.//span[normalize-space(.)='Updated']]//button[contains(@class, 'open')]",
        ))
        .await?
        .click()
        .await?;
    let diff = app
        .wait_css("dialog[open] [data-diff]")
        .await?
        .text()
        .await?;
    assert!(
        diff.contains("E-mail"),
        "the Updated employee's diff shows the changed e-mail: {diff}"
    );
    app.screenshot("staged-diff").await?;
    app.click_button("Close").await?;

    app.click_css("tbody tr[data-row] td.pick input").await?;
    app.click_button("Archive").await?;
    app.wait_text("Archived 1 record").await?;
    app.sync_and_wait().await?;
    let archived = app
        .wait_css("button[data-filter='archived']")
        .await?
        .text()
        .await?;
    assert_eq!(
        archived, "Archived 1",
        "the archived record stayed archived through a sync"
    );

    // The tab's address (#/integrations/ID/runs), as its link goes there.
    app.client
        .execute(
            "location.hash = location.hash.split('/').slice(0, 3).join('/') + '/runs';",
            vec![],
        )
        .await?;
    app.wait_css("[data-runs-chart]").await?;
    app.wait_text("Employees: 1 updated").await?;
    app.screenshot("run-history").await?;

    app.goto("records").await?;
    app.wait_text("Imported from Sandbox (demo data)").await?;
    app.goto("integrations").await?;
    app.wait_css("[data-integration]").await?;
    app.screenshot("integrations-connected").await?;
    app.quit().await
}

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn aspire_refuses_a_wrong_secret_on_its_field_then_connects_and_syncs() -> Result {
    use timebridge_emulators::aspire;
    let now = chrono::Utc::now();
    let emulator = aspire::Emulator::start(
        aspire::Company::generate(&aspire::CompanySpec {
            employees: 6,
            opportunities: 4,
            days: 10,
            today: now.date_naive(),
            modified: now - chrono::Duration::hours(1),
        }),
        aspire::EmulatorOptions::default(),
    )
    .await?;
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    let app = App::launch_signed_in(&sandbox, ADMIN_USER, ADMIN_PASSWORD).await?;
    app.goto("integrations").await?;
    app.connect_platform("aspire").await?;
    app.wait_css("dialog[open] button[form='connect-form']")
        .await?;
    app.fill("Client ID", aspire::CLIENT_ID).await?;
    app.fill("Client secret", "not-the-secret").await?;
    app.fill("API address", &emulator.base_url()).await?;
    app.click_css("dialog[open] button[form='connect-form']")
        .await?;
    app.wait_text("Aspire did not accept this client ID and secret")
        .await?;
    app.screenshot("connect-client-credentials").await?;
    assert!(
        !app.page_text().await?.contains("not-the-secret"),
        "the refused secret is not shown back"
    );

    app.fill("Client secret", aspire::SECRET).await?;
    app.click_css("dialog[open] button[form='connect-form']")
        .await?;
    app.first_sync().await?;
    app.wait_text("Synced").await?;
    app.wait_text("Employees · 6").await?;
    app.quit().await
}

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn busybusy_refuses_a_member_who_is_not_an_admin_then_connects_an_admin_and_syncs() -> Result
{
    use timebridge_emulators::busybusy;
    let now = chrono::Utc::now();
    let emulator = busybusy::Emulator::start(
        busybusy::Organization::generate(&busybusy::OrganizationSpec {
            members: 8,
            projects: 2,
            depth: 3,
            cost_codes: 4,
            days: 10,
            today: now.date_naive(),
            modified: now - chrono::Duration::hours(1),
        }),
        busybusy::EmulatorOptions::default(),
    )
    .await?;
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    let app = App::launch_signed_in(&sandbox, ADMIN_USER, ADMIN_PASSWORD).await?;
    app.goto("integrations").await?;
    app.connect_platform("busybusy").await?;
    app.wait_css("dialog[open] button[form='connect-form']")
        .await?;
    app.fill("Username", busybusy::WORKER_USERNAME).await?;
    app.fill("Password", busybusy::PASSWORD).await?;
    app.fill("API address", &emulator.base_url()).await?;
    app.click_css("dialog[open] button[form='connect-form']")
        .await?;
    app.wait_text("is not a busybusy admin").await?;
    app.screenshot("connect-busybusy-refused").await?;
    assert!(
        !app.page_text().await?.contains(busybusy::PASSWORD),
        "the password is never shown back"
    );

    app.fill("Username", busybusy::ADMIN_USERNAME).await?;
    app.click_css("dialog[open] button[form='connect-form']")
        .await?;
    app.first_sync().await?;
    app.wait_text("Synced").await?;
    app.wait_text("Employees · 8").await?;
    app.quit().await
}

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn quickbooks_desktop_connects_when_the_web_connector_signs_in_with_the_chosen_password()
-> Result {
    use timebridge_emulators::quickbooks_desktop as qbd;
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    let app = App::launch_signed_in(&sandbox, ADMIN_USER, ADMIN_PASSWORD).await?;
    app.goto("integrations").await?;
    app.connect_platform("quickbooks_desktop").await?;
    app.wait_css("dialog[open] button[form='connect-form']")
        .await?;
    app.fill("Username", "office").await?;
    app.fill("Password", "Yard-Office-2026").await?;
    // Any free port, so the test never meets another program's.
    app.fill("Web Connector address", "http://localhost:0/qbwc")
        .await?;
    app.click_css("dialog[open] button[form='connect-form']")
        .await?;
    let waiting = app.wait_css("[data-web-connector-url]").await?;
    let url = waiting
        .attr("data-web-connector-url")
        .await?
        .ok_or("the dialog names the address it waits at")?;
    let qwc = app
        .wait_css("[data-qwc-path]")
        .await?
        .attr("data-qwc-path")
        .await?
        .ok_or("the dialog names the .qwc file")?;
    assert!(
        std::fs::read_to_string(&qwc)?.contains(&format!("<AppURL>{url}</AppURL>")),
        "the .qwc file the dialog names sends the Web Connector to Timebridge"
    );

    let wc = qbd::WebConnector::new(&url, qbd::Company::generate(&qbd::CompanySpec::default()));
    let refused = wc.update("office", "yard-office-2026").await?;
    assert_eq!(refused.auth_status, "nvu", "a wrong password is not let in");
    app.wait_text("wrong username or password").await?;
    app.screenshot("connect-web-connector").await?;

    let update = wc.update("office", "Yard-Office-2026").await?;
    assert_eq!(
        update.percents.last(),
        Some(&100),
        "the first update completes"
    );
    app.wait_text("Lakeside Builders LLC").await?;
    app.wait_text("Employees · 5").await?;
    app.click_button("Sync now").await?;
    app.wait_text("Update Selected").await?;
    app.quit().await
}

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn clockshark_connects_to_a_checked_export_folder_and_reads_it() -> Result {
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    let exports = sandbox.data_dir().join("ClockShark exports");
    std::fs::create_dir_all(&exports)?;
    let day = (chrono::Utc::now() - chrono::Duration::days(2)).format("%m/%d/%Y");
    std::fs::write(
        exports.join("timesheets.csv"),
        format!(
            "Employee,Employee ID,Date,Clock In,Clock Out,Job,Task\n\
             Ana Ortiz,E1,{day},7:00 AM,3:30 PM,Maple Court,Mowing\n\
             Ben Nguyen,E2,{day},8:00 AM,4:00 PM,Maple Court,Pruning\n"
        ),
    )?;
    let app = App::launch_signed_in(&sandbox, ADMIN_USER, ADMIN_PASSWORD).await?;
    app.goto("integrations").await?;
    app.connect_platform("clockshark").await?;
    app.wait_css("dialog[open] button[form='connect-form']")
        .await?;
    let missing = sandbox.data_dir().join("no such folder");
    app.fill("Export folder", &missing.display().to_string())
        .await?;
    app.click_css("dialog[open] button[form='connect-form']")
        .await?;
    app.wait_text("does not exist").await?;
    app.screenshot("connect-folder").await?;

    app.fill("Export folder", &exports.display().to_string())
        .await?;
    app.click_css("dialog[open] button[form='connect-form']")
        .await?;
    app.first_sync().await?;
    app.wait_text("Synced").await?;
    app.wait_text("Employees · 2").await?;
    app.click_link("Time entries · 2").await?;
    app.wait_text("Ana Ortiz").await?;
    app.quit().await
}

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn csv_files_connect_with_the_guessed_mapping_changed_and_list_their_rows_as_new() -> Result {
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    let exports = sandbox.data_dir().join("Tracker exports");
    std::fs::create_dir_all(&exports)?;
    let day = (chrono::Utc::now() - chrono::Duration::days(2)).format("%m/%d/%Y");
    std::fs::write(
        exports.join("timesheet.csv"),
        format!(
            "Worker,Work Date,Clock In,Clock Out,Project,Memo\n\
             Ana Ortiz,{day},7:00 AM,3:30 PM,Maple Court,front beds\n\
             Ben Nguyen,{day},8:00 AM,4:00 PM,Maple Court,hedges\n"
        ),
    )?;
    let app = App::launch_signed_in(&sandbox, ADMIN_USER, ADMIN_PASSWORD).await?;
    app.goto("integrations").await?;
    app.connect_platform("csv_files").await?;
    app.wait_css("dialog[open] button[form='connect-form']")
        .await?;
    app.fill("Export file or folder", &exports.display().to_string())
        .await?;
    app.click_button("Preview").await?;
    app.wait_css("[data-csv-mapping]").await?;
    let worker = app
        .wait_css("select[aria-label='What “Worker” holds']")
        .await?;
    assert_eq!(
        worker.prop("value").await?.as_deref(),
        Some("employee"),
        "the window shows the guess: the Worker column holds the employee"
    );
    app.client
        .execute(
            "document.querySelector('[data-csv-mapping] table').scrollIntoView({ block: 'end' });",
            vec![],
        )
        .await?;
    app.screenshot("connect-csv-mapping").await?;

    let memo = app
        .wait_css("select[aria-label='What “Memo” holds']")
        .await?;
    memo.select_by_value("notes").await?;
    app.click_css("dialog[open] button[form='connect-form']")
        .await?;
    app.first_sync().await?;
    app.wait_text("Synced").await?;
    app.click_link("Time entries · 2").await?;
    app.wait_css("tbody tr[data-row]").await?;
    app.screenshot("integration-csv-files").await?;
    let new_filter = app
        .wait_css("button[data-filter='new']")
        .await?
        .text()
        .await?;
    assert_eq!(
        new_filter, "New 2",
        "both rows of the export are listed as New time entries"
    );
    let layouts = app
        .invoke("list_csv_layouts", serde_json::Value::Null)
        .await?
        .map_err(|e| format!("list_csv_layouts: {e}"))?;
    assert_eq!(
        layouts[0]["columns"][5]["field"], "notes",
        "the layout saved at Connect holds the column the admin changed: {layouts}"
    );
    app.quit().await
}
