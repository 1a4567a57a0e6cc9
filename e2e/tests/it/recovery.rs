//! A damaged database in the real window: the app starts on the recovery
//! page instead of failing, offers the latest good backup, restores it on
//! the admin's say-so, and the company's records are back after signing in.

use timebridge_core::store::backup;
use timebridge_e2e::{ADMIN_PASSWORD, ADMIN_USER, App, Result, Sandbox};

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn a_damaged_database_is_restored_from_its_latest_backup() -> Result {
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    sandbox.seed_company()?;
    let database = timebridge_core::paths::database_path(&sandbox.data_dir());
    {
        let store = sandbox.store()?;
        let today = chrono::Local::now().date_naive();
        backup::daily(&store, today)?.ok_or("today's backup is made")?;
    }
    timebridge_testkit::damage_table(&database, "employees");

    let app = App::launch(&sandbox).await?;
    app.wait_text("The database is damaged").await?;
    let page = app.page_text().await?;
    assert!(
        page.contains("The latest good backup is from"),
        "the page offers the backup made before the damage: {page}"
    );
    app.screenshot("damaged-database").await?;

    app.click_button("Restore this backup").await?;
    app.click_when_ready(
        fantoccini::Locator::XPath("//dialog[@open]//button[normalize-space(.)='Restore']"),
        "Restore in the confirmation",
    )
    .await?;
    app.sign_in(ADMIN_USER, ADMIN_PASSWORD).await?;
    app.goto("records").await?;
    app.wait_text("Okafor").await?;
    assert!(
        backup::list(&database)?.len() >= 2,
        "the damaged database is kept beside the backup restored"
    );
    app.quit().await
}
