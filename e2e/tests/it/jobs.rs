//! Job costing in the real window: the Jobs page's statuses and % used
//! from budgets against hand-entered time, one job's chart and workers, a
//! wage set through its dialog costing the hours that had none, and the
//! job's entries opened in Records.

use fantoccini::Locator;
use timebridge_e2e::{ADMIN_PASSWORD, ADMIN_USER, App, Result, Sandbox};

/// The visible text of the element `xpath` finds.
pub(crate) async fn text_at(app: &App, xpath: &str) -> Result<String> {
    let element = app
        .client
        .wait()
        .at_most(std::time::Duration::from_secs(15))
        .for_element(Locator::XPath(xpath))
        .await?;
    let text = app
        .client
        .execute(
            "return arguments[0].innerText;",
            vec![serde_json::to_value(&element)?],
        )
        .await?;
    Ok(text.as_str().unwrap_or_default().to_owned())
}

/// The Jobs list's row of a job, by its name.
async fn job_row(app: &App, job: &str) -> Result<String> {
    text_at(
        app,
        &format!("//tr[@data-job][.//a[normalize-space(.)='{job}']]"),
    )
    .await
}

/// The job page's row of a worker, by name.
fn worker_row(name: &str) -> String {
    format!("//table[@data-workers]//tr[th[normalize-space(.)='{name}']]")
}

/// "$2,840.50" → 284050 (however the window's locale groups the digits).
pub(crate) fn cents(money: &str) -> Result<i64> {
    let digits: String = money
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let (whole, part) = digits
        .split_once('.')
        .ok_or_else(|| format!("no cents in {money:?}"))?;
    Ok(whole.parse::<i64>()? * 100 + part.parse::<i64>()?)
}

/// The tenths of an hour in "34.0 h" (the first hours figure in `text`).
fn tenths_of_hours(text: &str) -> Result<i64> {
    let figure = text
        .split_whitespace()
        .zip(text.split_whitespace().skip(1))
        .find(|(_, unit)| *unit == "h")
        .map(|(number, _)| number)
        .ok_or_else(|| format!("no hours in {text:?}"))?;
    let (whole, tenth) = figure.split_once('.').unwrap_or((figure, "0"));
    Ok(whole.replace(',', "").parse::<i64>()? * 10 + tenth.parse::<i64>()?)
}

#[tokio::test]
#[ignore = "real window: run by cargo xtask test under Xvfb"]
async fn jobs_show_status_and_use_and_a_wage_set_from_the_job_costs_its_hours() -> Result {
    let sandbox = Sandbox::new()?;
    sandbox.seed_admin()?;
    sandbox.seed_company()?;
    sandbox.seed_budgets()?;
    sandbox.seed_wages()?;
    let app = App::launch_signed_in(&sandbox, ADMIN_USER, ADMIN_PASSWORD).await?;

    // Every job with its status in words and its share of the budget used.
    app.goto("jobs").await?;
    app.wait_css("[data-jobs-loaded]").await?;
    let main_st = job_row(&app, "Main St Remodel").await?;
    assert!(
        main_st.contains("At risk") && main_st.contains("90.0 %"),
        "Main St has used 90 % of its hours: at risk: {main_st}"
    );
    let riverside = job_row(&app, "Riverside Clinic").await?;
    assert!(
        riverside.contains("Over") && riverside.contains("125.0 %"),
        "Riverside Clinic is past its budget: {riverside}"
    );
    let oak_ave = job_row(&app, "Oak Ave Duplex").await?;
    assert!(
        oak_ave.contains("On track") && oak_ave.contains("50.0 %"),
        "Oak Ave has half its hours left: {oak_ave}"
    );
    assert_eq!(
        (
            app.text_of("[data-at-risk-count] strong").await?,
            app.text_of("[data-over-count] strong").await?
        ),
        ("1".to_owned(), "1".to_owned()),
        "one job at risk and one over are counted at the top"
    );
    let burden = app.text_of("[data-burden]").await?;
    assert_eq!(
        burden, "Labour costed at wages + 22.5 % burden",
        "the burden labour is costed with is said"
    );
    let unpriced = app.text_of("[data-unpriced]").await?;
    assert!(
        unpriced.contains("have no wage: set wages to cost them."),
        "Marcus Bell's hours have no wage, and the page says so: {unpriced}"
    );
    app.screenshot("jobs").await?;

    // The job: its chart against the budget line, and who worked it.
    app.click_link("Main St Remodel").await?;
    app.wait_css("[data-job-detail] h1").await?;
    app.wait_css("[data-hours-chart] svg rect[data-week]")
        .await?;
    app.wait_css("[data-hours-chart] [data-budget-line]")
        .await?;
    let marcus = text_at(&app, &worker_row("Marcus Bell")).await?;
    assert!(
        marcus.contains("no wage"),
        "Marcus is marked as having no wage: {marcus}"
    );
    let lena = text_at(&app, &worker_row("Lena Fischer")).await?;
    assert!(
        !lena.contains("no wage"),
        "Lena's hours are costed at her wage: {lena}"
    );
    let labour = app.text_of("[data-figure='labour']").await?;
    let before = cents(&labour)?;
    assert!(before > 0, "Lena's hours cost something already");
    let marcus_tenths = tenths_of_hours(&marcus)?;
    app.screenshot("job-detail").await?;

    // Marcus's first wage, from the job's first week: all his time on it.
    app.client
        .find(Locator::XPath(&format!(
            "{}//button[normalize-space(.)='Wages']",
            worker_row("Marcus Bell")
        )))
        .await?
        .click()
        .await?;
    app.wait_css("dialog[open] [data-no-wages]").await?;
    let from = app.field("From").await?;
    app.wait_until(
        "document.querySelector('dialog[open] input[type=date]').value !== ''",
        "the From day filled in",
    )
    .await?;
    let day = from.prop("value").await?.unwrap_or_default();
    app.fill("Wage", "28.00").await?;
    app.click_button("Set wage").await?;
    let listed = app.text_of("dialog[open] [data-wages]").await?;
    assert!(
        listed.contains("28.00/h") && listed.contains("By hand in Timebridge"),
        "the dialog lists the wage just set (from {day}): {listed}"
    );
    app.screenshot("job-wages").await?;
    app.click_button("Close").await?;

    // His hours now cost 28.00 × 1.225 = $34.30 each, and none are unpriced.
    app.wait_until(
        &format!("document.querySelector(\"[data-figure='labour']\").innerText !== {labour:?}"),
        "the labour cost worked out again",
    )
    .await?;
    let after = cents(&app.text_of("[data-figure='labour']").await?)?;
    assert_eq!(
        after - before,
        marcus_tenths * 343,
        "the labour grew by Marcus's hours at his wage plus the burden"
    );
    let marcus = text_at(&app, &worker_row("Marcus Bell")).await?;
    assert!(
        !marcus.contains("no wage"),
        "Marcus's hours are costed now: {marcus}"
    );
    assert!(
        app.client
            .find_all(Locator::Css("[data-unpriced]"))
            .await?
            .is_empty(),
        "no hour of the job is left without a wage"
    );
    app.screenshot("job-costed").await?;

    // The job's entries, and only them, in Records.
    app.click_css("[data-job-entries]").await?;
    let filter = app.text_of("[data-job-filter]").await?;
    assert!(
        filter.contains("Main St Remodel"),
        "Records says whose entries it lists: {filter}"
    );
    app.wait_css("tbody tr[data-row]").await?;
    let jobs = app
        .client
        .execute(
            "return Array.from(document.querySelectorAll(\"tbody tr[data-row] td[data-column='job']\")).map((td) => td.innerText);",
            vec![],
        )
        .await?;
    let jobs: Vec<String> = serde_json::from_value(jobs)?;
    assert!(
        !jobs.is_empty() && jobs.iter().all(|job| job == "Main St Remodel"),
        "only Main St's entries are listed: {jobs:?}"
    );
    app.quit().await
}
