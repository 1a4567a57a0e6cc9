//! Connecting a platform by signing in in the system browser (OAuth 2 with a
//! loopback redirect, RFC 8252).
//!
//! `begin_browser_sign_in` opens the loopback listener, opens the browser on the
//! platform's sign-in page and returns at once; the wait runs in the
//! background. The window asks `browser_sign_in_status` until it is connected,
//! failed or cancelled. Only once the platform has handed over tokens is the
//! integration created and the tokens put in the keyring, so an abandoned
//! sign-in leaves nothing behind. A new sign-in cancels one still waiting
//! (they would share the registered port).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use timebridge_connectors::connector_of;
use timebridge_connectors::oauth::{
    DEFAULT_LOOPBACK_PORT, LoopbackSignIn, OAuthApp, SIGN_IN_TIMEOUT,
};
use timebridge_connectors::secrets::{Credentials, SecretStore};
use timebridge_core::audit::Actor;
use timebridge_core::middleware::integrations::{Integration, IntegrationSettings};
use timebridge_core::platforms::Platform;
use timebridge_core::{ApiError, Error, Result, Store};
use tokio_util::sync::CancellationToken;

use super::tracked::{Finished, Tracked};
use super::types::{
    BeginBrowserSignInArgs, BrowserSignInArgs, BrowserSignInStarted, BrowserSignInState,
    BrowserSignInStatus,
};
use crate::Ctx;
use crate::connect::Saving;

/// Opens a web address in the system browser; `false` when it could not.
pub type OpenBrowser = Arc<dyn Fn(&str) -> bool + Send + Sync>;

pub(crate) struct Flow {
    status: BrowserSignInStatus,
    cancel: CancellationToken,
    /// Ends when the background wait has ended (and its port is free).
    done: tokio::sync::watch::Receiver<bool>,
}

impl Finished for Flow {
    fn finished(&self) -> bool {
        self.status.state != BrowserSignInState::Waiting
    }
}

/// The browser sign-ins of this app, by flow id.
pub(crate) type SignIns = Tracked<Flow>;

/// What the background wait needs to finish the connection.
struct Finish {
    store: Arc<Store>,
    secrets: Arc<dyn SecretStore>,
    actor: Actor,
    platform: Platform,
    name: String,
    settings: IntegrationSettings,
}

pub fn begin_browser_sign_in(
    ctx: &mut Ctx<'_>,
    args: BeginBrowserSignInArgs,
) -> Result<BrowserSignInStarted> {
    let connector = connector_of(args.platform)
        .filter(|_| !args.platform.demo())
        .ok_or_else(|| Error::invalid("platform", "Pick a platform to connect."))?;
    let info = connector.info();
    let (Some(authorize_path), Some(token_path)) = (info.authorize_path, info.token_path) else {
        return Err(Error::invalid(
            "platform",
            format!("{} does not offer a browser sign-in.", info.name),
        ));
    };
    let mut problems = Vec::new();
    if args.client_id.trim().is_empty() {
        problems.push(timebridge_core::FieldProblem {
            field: "client_id".into(),
            message: format!("Enter the client ID of your {} API application.", info.name),
        });
    }
    if args.client_secret.expose().trim().is_empty() {
        problems.push(timebridge_core::FieldProblem {
            field: "client_secret".into(),
            message: "Enter the application's client secret.".into(),
        });
    }
    if !problems.is_empty() {
        return Err(Error::Validation(problems));
    }
    let now = ctx.now;
    let settings = args
        .settings
        .clone()
        .unwrap_or_else(|| IntegrationSettings::defaults(now));
    settings.check(now)?;
    let base = settings
        .base_url
        .clone()
        .unwrap_or_else(|| info.default_base_url.to_owned());
    let base = base.trim_end_matches('/');
    let app = OAuthApp {
        client_id: args.client_id.trim().to_owned(),
        client_secret: timebridge_core::Sensitive::new(
            args.client_secret.expose().trim().to_owned(),
        ),
    };

    // One sign-in at a time: the one waiting is cancelled, and its port
    // awaited, before this one listens.
    let mut waiting = Vec::new();
    ctx.api.sign_ins.each(|f| {
        if !f.finished() {
            waiting.push((f.cancel.clone(), f.done.clone()));
        }
    });
    let port = args.redirect_port.unwrap_or(DEFAULT_LOOPBACK_PORT);
    let sign_in = ctx.api.runtime.block_on(async {
        for (cancel, mut done) in waiting {
            cancel.cancel();
            let _ = tokio::time::timeout(Duration::from_secs(5), done.wait_for(|d| *d)).await;
        }
        LoopbackSignIn::start(
            info.name,
            &format!("{base}{authorize_path}"),
            &format!("{base}{token_path}"),
            app,
            port,
        )
        .await
    })?;

    let cancel = CancellationToken::new();
    let (done_tx, done) = tokio::sync::watch::channel(false);
    let flow = ctx.api.sign_ins.add(
        Flow {
            status: BrowserSignInStatus {
                state: BrowserSignInState::Waiting,
                integration: None,
                error: None,
            },
            cancel: cancel.clone(),
            done,
        },
        now,
    );
    let started = BrowserSignInStarted {
        flow: flow.clone(),
        authorize_url: sign_in.authorize_url().to_owned(),
        redirect_uri: sign_in.redirect_uri().to_owned(),
        browser_opened: false,
    };
    let finish = Finish {
        store: ctx.api.store.clone(),
        secrets: ctx.api.engine.secrets().clone(),
        actor: ctx.actor()?,
        platform: args.platform,
        name: args
            .name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| args.platform.connection_name()),
        settings,
    };
    let flows = ctx.api.sign_ins.clone();
    let clock = ctx.api.clock.clone();
    ctx.api.runtime.spawn(async move {
        let client = reqwest::Client::new();
        let outcome = sign_in.finish(&client, SIGN_IN_TIMEOUT, &cancel).await;
        let status = match outcome {
            Ok(credentials) => match finish.save(&credentials, clock.now()) {
                Ok(integration) => BrowserSignInStatus {
                    state: BrowserSignInState::Connected,
                    integration: Some(integration),
                    error: None,
                },
                Err(error) => failed(ApiError::from(error)),
            },
            Err(error) if error.is_cancelled() => BrowserSignInStatus {
                state: BrowserSignInState::Cancelled,
                integration: None,
                error: None,
            },
            Err(error) => failed(ApiError::from(Error::from(error))),
        };
        tracing::info!(platform = %finish.platform, state = ?status.state, "browser sign-in ended");
        flows.with(&flow, |f| f.status = status);
        let _ = done_tx.send(true);
    });

    let opened = (ctx.api.browser)(&started.authorize_url);
    if !opened {
        tracing::info!("the system browser did not open; the window shows the link");
    }
    Ok(BrowserSignInStarted {
        browser_opened: opened,
        ..started
    })
}

fn failed(error: ApiError) -> BrowserSignInStatus {
    BrowserSignInStatus {
        state: BrowserSignInState::Failed,
        integration: None,
        error: Some(error),
    }
}

impl Finish {
    /// Saves the connection with the tokens the browser sign-in handed over.
    fn save(&self, credentials: &Credentials, now: DateTime<Utc>) -> Result<Integration> {
        let saving = Saving {
            store: &self.store,
            secrets: self.secrets.as_ref(),
            actor: &self.actor,
            now,
        };
        saving.save(self.platform, &self.name, &self.settings, Some(credentials))
    }
}

pub fn browser_sign_in_status(
    ctx: &mut Ctx<'_>,
    args: BrowserSignInArgs,
) -> Result<BrowserSignInStatus> {
    ctx.api
        .sign_ins
        .with(&args.flow, |f| f.status.clone())
        .ok_or_else(|| Error::NotFound("That sign-in has ended. Start it again.".into()))
}

/// Stops waiting for the browser; `false` when the sign-in had already ended.
pub fn cancel_browser_sign_in(ctx: &mut Ctx<'_>, args: BrowserSignInArgs) -> Result<bool> {
    ctx.api
        .sign_ins
        .with(&args.flow, |f| {
            f.cancel.cancel();
            !f.finished()
        })
        .ok_or_else(|| Error::NotFound("That sign-in has ended.".into()))
}
