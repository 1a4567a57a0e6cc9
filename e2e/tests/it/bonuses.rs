//! Crew bonuses in the real window: a plan saved through its dialog, a
//! bonus set up on a budgeted job and projected from its time, each
//! worker's share adding up to the pool, approval freezing it, a worker's
//! statement, and the bonus marked paid by hand.

use fantoccini::Locator;
use timebridge_e2e::{ADMIN_PASSWORD, ADMIN_USER, App, Result, Sandbox};

use crate::jobs::{cents, text_at};

/// The bonus page's row of a worker, by name.
fn worker_row(name: &str) -> String {
    format!("//table[@data-workers]//tr[td[1][starts-with(normalize-space(.), '{name}')]]")
}

/// A worker's share: the Bonus cell of their row.
async fn share_of(app: &App, name: &str) -> Result<i64> {
    cents(&text_at(app, &format!("{}/td[4]", worker_row(name))).await?)
}

/// The state chip of the bonus shown, once it reads `state`.
async fn wait_state(app: &App, state: &str) -> Result {
    app.wait_until(
        &format!("(document.querySelector('[data-bonus-state]') || {{}}).innerText === {state:?}"),
        &format!("the bonus {state}"),
    )
    .await
}

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn a_bonus_is_projected_split_approved_and_marked_paid() -> Result {
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    sandbox.seed_company()?;
    sandbox.seed_budgets()?;
    sandbox.seed_wages()?;
    sandbox.seed_bonus_pay_id()?;
    let app = App::launch_signed_in(&sandbox, ADMIN_USER, ADMIN_PASSWORD).await?;

    // A plan: half the saved value to the crew, by hours, paid as BONUS.
    app.goto("bonuses").await?;
    app.wait_text("No bonuses yet").await?;
    app.click_css("[data-new-plan]").await?;
    app.fill("Name", "Crew half").await?;
    app.wait_until(
        "Array.from(document.querySelectorAll('dialog[open] select')).some((s) => s.options[s.selectedIndex] && s.options[s.selectedIndex].text.startsWith('BONUS'))",
        "the BONUS pay ID picked for the plan",
    )
    .await?;
    app.screenshot("bonus-plan").await?;
    app.click_button("Save plan").await?;
    app.wait_text("Plans · 1").await?;

    // A bonus on Oak Ave Duplex, which has used half its budget.
    app.click_css("[data-new-bonus]").await?;
    app.pick("Job", "Oak", "Oak Ave Duplex").await?;
    app.click_button("Set up bonus").await?;
    wait_state(&app, "Open").await?;
    let pool = app.text_of("[data-pool]").await?;
    assert!(
        pool.ends_with("projected"),
        "an open bonus's pool is a projection from the time so far: {pool}"
    );
    let pool = cents(&pool)?;
    assert!(
        pool > 0,
        "a job at half its budget has saved hours to share"
    );
    let (priya, diego) = (
        share_of(&app, "Priya Nair").await?,
        share_of(&app, "Diego Ramos").await?,
    );
    assert_eq!(
        priya + diego,
        pool,
        "the crew's shares add up to the pool, to the cent"
    );
    assert!(
        diego > priya,
        "split by hours, Diego's longer days earn the larger share ({diego} vs {priya})"
    );
    app.screenshot("bonus-detail").await?;

    // Approval freezes the figures and says how the bonus is paid.
    app.click_css("[data-approve]").await?;
    app.click_when_ready(
        Locator::XPath("//dialog[@open]//button[normalize-space(.)='Approve']"),
        "Approve in the confirmation",
    )
    .await?;
    wait_state(&app, "Approved").await?;
    let note = app.text_of("[data-pay-note]").await?;
    assert!(
        note.contains("Paid with the payroll of the pay period"),
        "an approved bonus says it goes out with its pay period: {note}"
    );
    let frozen = cents(&app.text_of("[data-pool]").await?)?;
    assert_eq!(frozen, pool, "approval freezes the pool as it stood");

    // Priya's statement shows her share.
    app.client
        .find(Locator::XPath(&format!(
            "{}//button[normalize-space(.)='Statement']",
            worker_row("Priya Nair")
        )))
        .await?
        .click()
        .await?;
    let statement = app.text_of("dialog[open] [data-statement]").await?;
    assert!(
        statement.contains("Oak Ave Duplex") && statement.contains("Crew half"),
        "the statement names the job and the plan: {statement}"
    );
    let their_bonus = statement
        .split_once("Their bonus")
        .map(|(_, after)| after)
        .ok_or_else(|| format!("no Their bonus line in {statement:?}"))?;
    assert_eq!(
        cents(their_bonus)?,
        priya,
        "the statement's bonus is her share on the page"
    );
    app.screenshot("bonus-statement").await?;
    app.click_css("dialog[open] button[aria-label='Close']")
        .await?;

    // Paid by hand on the paychecks, with a note of where.
    app.click_css("[data-mark-paid]").await?;
    app.fill("Where it was paid", "Added to the Friday paychecks")
        .await?;
    app.click_button("Mark paid").await?;
    wait_state(&app, "Paid").await?;
    let paid = app.text_of("[data-paid-through]").await?;
    assert!(
        paid.contains("Added to the Friday paychecks"),
        "the bonus says where it was paid: {paid}"
    );
    assert_eq!(
        app.client
            .find_all(Locator::Css("[data-mark-paid], [data-approve]"))
            .await?
            .len(),
        0,
        "a paid bonus can be neither approved nor marked paid again"
    );

    // The list shows it paid, with the pool it paid.
    app.goto("bonuses").await?;
    let row = text_at(&app, "//table[@data-bonuses]//tr[@data-bonus]").await?;
    assert!(
        row.contains("Oak Ave Duplex") && row.contains("Paid") && !row.contains("projected"),
        "the list shows the bonus paid, no longer projected: {row}"
    );
    app.screenshot("bonuses").await?;
    app.quit().await
}
