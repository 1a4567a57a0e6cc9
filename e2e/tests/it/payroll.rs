//! Payroll in the real window: a period computed from imported Sandbox
//! time, its pay IDs mapped from the problems it shows, published to the
//! Sandbox, an entry of the locked period edited, and the correction sent.

use fantoccini::Locator;
use timebridge_e2e::{ADMIN_PASSWORD, ADMIN_USER, App, Result, Sandbox};

/// "08:00" one hour earlier, "07:00".
fn hour_earlier(time: &str) -> Result<String> {
    let (h, m) = time.split_once(':').ok_or("a time as HH:MM")?;
    let h: u32 = h.parse()?;
    if h == 0 {
        return Err(format!("{time} has no earlier hour on its day").into());
    }
    Ok(format!("{:02}:{m}", h - 1))
}

/// Presses Publish once it can be pressed: the dialog that asks first opens.
async fn open_publish_dialog(app: &App) -> Result {
    app.wait_until("document.querySelector('[data-publish]') && !document.querySelector('[data-publish]').disabled",
        "Publish can be pressed",
    )
    .await?;
    app.click_css("[data-publish]").await
}

/// Shows the period before the one shown (the last full one, from today's).
async fn previous_period(app: &App) -> Result {
    let current = app.text_of("[data-period]").await?;
    app.click_css("[data-period-previous]").await?;
    app.wait_until(
        &format!("document.querySelector('[data-period]').innerText !== {current:?}"),
        "the previous period",
    )
    .await
}

/// Publishes (or publishes the correction) and returns what the page said.
async fn publish(app: &App, button: &str) -> Result<String> {
    open_publish_dialog(app).await?;
    app.client
        .wait()
        .for_element(Locator::XPath(&format!(
            "//dialog[@open]//button[normalize-space(.)='{button}']"
        )))
        .await?
        .click()
        .await?;
    app.text_of("[data-publish-outcome]").await
}

/// How the mapping dialog gets its item.
#[derive(Clone, Copy)]
enum Items {
    /// Picked from the target's list, where the dialog suggests one.
    Suggested,
    /// Typed, as for a target without a list.
    Typed,
}

/// Maps each unmapped pay ID from its problem's button; returns how many.
async fn map_unmapped_pay_ids(app: &App, items: Items) -> Result<usize> {
    let fix = "[data-problem='pay_id_not_mapped'] [data-fix='map']";
    let mut mapped = 0;
    loop {
        let left = app.client.find_all(Locator::Css(fix)).await?.len();
        if left == 0 {
            break;
        }
        mapped += 1;
        assert!(mapped <= 6, "each mapping removes its problem");
        app.click_css(fix).await?;
        match items {
            Items::Suggested => {
                let select = app.wait_css("dialog[open] [data-item-select]").await?;
                app.wait_until(
                    "document.querySelector('dialog[open] [data-item-select]').value !== ''",
                    "a suggested payroll item",
                )
                .await?;
                let picked = app
                    .client
                    .execute(
                        "const s = arguments[0]; return s.options[s.selectedIndex].text;",
                        vec![serde_json::to_value(&select)?],
                    )
                    .await?;
                assert!(
                    picked.as_str().is_some_and(|t| t.contains("Rate")),
                    "a worked pay ID is suggested one of the Sandbox's wage items: {picked}"
                );
            }
            Items::Typed => {
                let title = app.text_of("dialog[open] h2").await?;
                let item = if title.contains("REG") {
                    "Hourly Rate"
                } else if title.contains("DT") {
                    "Double-time Rate"
                } else {
                    "Overtime Rate"
                };
                app.fill("Payroll item name", item).await?;
            }
        }
        app.click_button("Save mapping").await?;
        app.wait_until(
            &format!("document.querySelectorAll({fix:?}).length < {left}"),
            "the mapped pay ID's problem gone",
        )
        .await?;
    }
    Ok(mapped)
}

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn payroll_is_mapped_from_its_problems_published_and_corrected() -> Result {
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    let app = App::launch_signed_in(&sandbox, ADMIN_USER, ADMIN_PASSWORD).await?;
    app.connect_sandbox_and_sync().await?;
    app.open_module_tab("Time entries").await?;
    app.import_all().await?;

    // The last full period: the Sandbox's time covers the 20 days to today.
    app.goto("payroll").await?;
    previous_period(&app).await?;
    app.wait_css("[data-hours-grid]").await?;
    let total = app.text_of("[data-total-hours]").await?;
    assert_ne!(
        total, "0.00",
        "the period's hours come from the imported Sandbox time"
    );

    // Nothing is mapped yet: each pay ID with hours blocks publishing.
    app.wait_css("[data-problem='pay_id_not_mapped']").await?;
    assert!(
        app.wait_css("[data-publish]")
            .await?
            .prop("disabled")
            .await?
            == Some("true".into()),
        "Publish waits while a problem blocks"
    );
    app.screenshot("payroll-problems").await?;

    // Fix each from its problem: the dialog suggests the Sandbox's item.
    let mapped = map_unmapped_pay_ids(&app, Items::Suggested).await?;
    assert!(mapped >= 1, "at least regular time needed mapping");
    app.wait_css("[data-problems-none]").await?;
    app.screenshot("payroll-review").await?;

    let sent = publish(&app, "Publish").await?;
    assert!(
        sent.contains("accepted all"),
        "the Sandbox accepted the period: {sent}"
    );
    app.wait_css("[data-locked]").await?;
    app.wait_text("Nothing to publish").await?;

    // Correct an entry of the locked period from its employee's hours.
    app.click_css("[data-hours-grid] tbody tr[data-employee] button.open")
        .await?;
    app.click_css("[data-explanation] [data-edit-entry]")
        .await?;
    let warning = app.text_of("dialog[open] [data-locked-period]").await?;
    assert!(
        warning.contains("was published to Sandbox"),
        "the form warns that the period was published: {warning}"
    );
    let end = app.field("End").await?;
    let was = end.prop("value").await?.unwrap_or_default();
    app.set_value(&end, &hour_earlier(&was)?).await?;
    app.click_button("Save").await?;
    app.wait_css("[data-changes]").await?;
    let ready = app.text_of("[data-send] h2").await?;
    assert!(
        ready.contains("(−1.00 h)"),
        "the correction is exactly the hour taken off: {ready}"
    );
    app.screenshot("payroll-correction").await?;

    let corrected = publish(&app, "Publish correction").await?;
    assert!(
        corrected.contains("accepted all") && corrected.contains("-1.00 h"),
        "the Sandbox accepted only the difference: {corrected}"
    );
    app.wait_text("Nothing to publish").await?;

    app.click_link("Publications · 2").await?;
    app.wait_css("tbody tr[data-row]").await?;
    let correction = app.row_text("Correction").await?;
    assert!(
        correction.contains("−1.00") && correction.contains("Sent"),
        "the history lists the correction with its hour: {correction}"
    );
    app.screenshot("payroll-publications").await?;
    app.quit().await
}

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn payroll_settings_and_an_iif_file_are_checked_before_anything_is_written() -> Result {
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    sandbox.seed_company()?;
    let app = App::launch_signed_in(&sandbox, ADMIN_USER, ADMIN_PASSWORD).await?;
    app.goto("payroll").await?;
    // The page has its period before a tab is clicked.
    app.wait_css("[data-period]").await?;

    // Daily overtime after 8 hours; double time before it is refused.
    app.click_css("a[href='#/payroll/settings']").await?;
    app.wait_css("[data-payroll-settings]").await?;
    app.fill("Daily overtime after", "8").await?;
    app.fill("Daily double time after", "6").await?;
    app.click_button("Save payroll settings").await?;
    app.wait_text("Double time must start after daily overtime does.")
        .await?;
    app.fill("Daily double time after", "12").await?;
    app.click_button("Save payroll settings").await?;
    app.wait_text("Payroll settings saved").await?;
    app.screenshot("payroll-settings").await?;

    // The IIF file, for the period holding the hand-entered week.
    let picker = app.wait_css("[data-target-picker]").await?;
    app.set_value(&picker, "file:iif").await?;
    app.click_css("a[href='#/payroll/review']").await?;
    let day = (chrono::Local::now().date_naive() - chrono::Duration::days(3)).to_string();
    let jump = app
        .wait_css("input[aria-label='Go to the period containing this date']")
        .await?;
    app.set_value(&jump, &day).await?;
    app.wait_css("[data-hours-grid]").await?;
    let overtime = app
        .client
        .find_all(Locator::Css(
            "[data-hours-grid] tfoot [data-total-pay='OT']",
        ))
        .await?;
    assert!(
        !overtime.is_empty(),
        "shifts over 8 hours make daily overtime under the saved settings"
    );
    let mapped = map_unmapped_pay_ids(&app, Items::Typed).await?;
    assert!(
        mapped >= 2,
        "regular and overtime each needed an item: {mapped}"
    );
    app.wait_css("[data-problems-none]").await?;

    // No company name yet: refused, and nothing written.
    let out = sandbox.data_dir().join("payroll.iif");
    app.click_css("[data-export]").await?;
    app.fill("Save to", &out.display().to_string()).await?;
    app.click_css("dialog[open] button[type='submit']").await?;
    app.wait_text("Enter the company name exactly as QuickBooks shows it")
        .await?;
    assert!(!out.exists(), "a refused export writes no file");

    app.click_link("Open File layouts").await?;
    app.fill("Company name", "Riverside Builders LLC").await?;
    app.fill("Company creation time", "1199567302").await?;
    app.click_button("Save file layouts").await?;
    app.wait_text("File layouts saved").await?;
    app.screenshot("payroll-file-layouts").await?;

    app.click_css("a[href='#/payroll/items']").await?;
    app.wait_css("[data-mapping]").await?;
    app.screenshot("payroll-mapping").await?;

    app.click_css("a[href='#/payroll/review']").await?;
    app.click_css("[data-export]").await?;
    app.fill("Save to", &out.display().to_string()).await?;
    app.click_css("dialog[open] button[type='submit']").await?;
    let done = app.text_of("[data-export-done]").await?;
    assert!(
        done.contains(&out.display().to_string()),
        "the window says where the file went: {done}"
    );
    let bytes = std::fs::read(&out)?;
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.starts_with("!TIMERHDR") && text.contains("Riverside Builders LLC"),
        "the file is a timer import for the named company: {}",
        text.lines().take(3).collect::<Vec<_>>().join(" | ")
    );
    assert!(
        text.contains("Overtime Rate"),
        "overtime goes as the typed payroll item"
    );
    app.quit().await
}

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn payroll_says_what_it_leaves_out_links_to_it_and_asks_before_publishing_without_it()
-> Result {
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    let app = App::launch_signed_in(&sandbox, ADMIN_USER, ADMIN_PASSWORD).await?;
    app.connect_sandbox_and_sync().await?;

    // Synced, nothing imported: the last full period leaves all its time out.
    app.goto("payroll").await?;
    previous_period(&app).await?;
    let warning = app.text_of("[data-left-out-count]").await?;
    assert!(
        warning.contains("staged time entries") && warning.contains(" h)"),
        "the period says how many entries and hours it leaves out: {warning}"
    );
    let panel = app.text_of("[data-left-out]").await?;
    assert!(
        panel.contains("Marcus Bell"),
        "and whose: the Sandbox's employees are named: {panel}"
    );
    app.screenshot("payroll-left-out").await?;

    // The link lists exactly those entries; import the first page of them.
    app.click_css("[data-left-out-review]").await?;
    let count: String = warning.chars().take_while(char::is_ascii_digit).collect();
    app.wait_until(&format!(
            "document.querySelector('[data-left-out-filter]') && document.querySelector('[data-left-out-filter]').innerText.includes('({count})')"
        ),
        &format!("the review lists as many entries as the payroll page counted ({count})"),
    )
    .await?;
    app.wait_css("tbody tr[data-row]").await?;
    app.screenshot("staged-left-out").await?;
    app.click_css("[data-select-page]").await?;
    app.click_button("Import").await?;
    app.wait_css("dialog[open] [data-import-summary]").await?;
    app.click_button("Close").await?;

    // Back on the period: fewer left out, and the imported hours are in.
    app.click_link("Back to payroll").await?;
    app.wait_until(&format!(
            "document.querySelector('[data-left-out-count]') && !document.querySelector('[data-left-out-count]').innerText.startsWith('{count} ')"
        ),
        "fewer entries left out after importing a page of them",
    )
    .await?;
    let total = app.text_of("[data-total-hours]").await?;
    assert_ne!(
        total, "0.00",
        "the imported page's hours are in the payroll"
    );
    map_unmapped_pay_ids(&app, Items::Suggested).await?;
    app.wait_css("[data-problems-none]").await?;

    // Publishing asks first, naming what is left out; cancelling sends nothing.
    open_publish_dialog(&app).await?;
    let asked = app.text_of("dialog[open] [data-confirm-left-out]").await?;
    assert!(
        asked.contains("are not imported, and not sent"),
        "the dialog names the entries left out: {asked}"
    );
    app.screenshot("payroll-publish-left-out").await?;
    app.client
        .find(Locator::XPath(
            "//dialog[@open]//button[normalize-space(.)='Cancel']",
        ))
        .await?
        .click()
        .await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(
        app.client
            .find_all(Locator::Css("[data-publish-outcome], [data-locked]"))
            .await?
            .is_empty(),
        "cancelled, nothing was published"
    );

    let sent = publish(&app, "Publish without them").await?;
    assert!(
        sent.contains("accepted all"),
        "confirmed, the imported hours go: {sent}"
    );
    app.wait_css("[data-locked]").await?;
    app.wait_css("[data-left-out]").await?;
    app.quit().await
}
