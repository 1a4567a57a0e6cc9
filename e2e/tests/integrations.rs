//! Connecting the Sandbox and syncing it, in the real window.

use fantoccini::Locator;
use timebridge_e2e::{ADMIN_PASSWORD, ADMIN_USER, App, Result, Sandbox};

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn the_sandbox_connects_syncs_with_progress_and_fills_its_module_tabs() -> Result {
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    let app = App::launch_signed_in(&sandbox, ADMIN_USER, ADMIN_PASSWORD).await?;
    app.goto("integrations").await?;
    app.wait_text("Available integrations").await?;
    app.screenshot("integrations").await?;

    app.client
        .wait()
        .for_element(Locator::XPath(
            "//tr[@data-platform='sandbox']//button[normalize-space(.)='Connect']",
        ))
        .await?
        .click()
        .await?;
    let connect = app
        .wait_css("dialog[open] button[form='connect-form']")
        .await?;
    app.screenshot("connect-sandbox").await?;
    connect.click().await?;
    app.wait_text("Not synced yet").await?;

    app.click_button("Sync now").await?;
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
