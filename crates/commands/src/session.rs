//! Signed-in sessions, and the access check every command goes through.
//!
//! A session is a random token held by the [`Client`] (the window), mapped
//! here to the operator. The operator's account and role are read again on
//! every call, so deactivating someone or changing their role takes effect
//! at their next click, not at their next sign-in. A session left idle for
//! [`IDLE_LIMIT_HOURS`] ends.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use timebridge_core::operators::{self, Operator};
use timebridge_core::permissions::Permission;
use timebridge_core::{Error, Result, Sensitive, Store};

use crate::Access;

pub const IDLE_LIMIT_HOURS: i64 = 12;

/// One caller of the API and its session, if signed in.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Client {
    token: Option<Sensitive<String>>,
}

impl Client {
    pub fn new() -> Client {
        Client::default()
    }

    pub fn is_signed_in(&self) -> bool {
        self.token.is_some()
    }
}

#[derive(Debug)]
struct Session {
    operator_id: i64,
    last_seen: DateTime<Utc>,
}

#[derive(Debug, Default)]
pub(crate) struct Sessions {
    by_token: Mutex<HashMap<String, Session>>,
}

/// The operator a call runs as.
#[derive(Debug, Clone)]
pub(crate) struct SignedIn {
    pub operator: Operator,
    pub permissions: BTreeSet<Permission>,
}

impl Sessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.by_token
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Starts a session for `operator` on `client`, ending any it had.
    pub fn start(
        &self,
        client: &mut Client,
        operator: &Operator,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.end(client);
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| Error::Internal(format!("no randomness for a session token: {e}")))?;
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        self.lock().insert(
            token.clone(),
            Session {
                operator_id: operator.id,
                last_seen: now,
            },
        );
        client.token = Some(Sensitive::new(token));
        Ok(())
    }

    pub fn end(&self, client: &mut Client) {
        if let Some(token) = client.token.take() {
            self.lock().remove(token.expose());
        }
    }

    /// The operator the client is signed in as, if the session is still good.
    pub fn current(
        &self,
        store: &Store,
        client: &mut Client,
        now: DateTime<Utc>,
    ) -> Result<Option<SignedIn>> {
        let Some(token) = client.token.as_ref() else {
            return Ok(None);
        };
        let operator_id = {
            let mut sessions = self.lock();
            match sessions.get_mut(token.expose()) {
                Some(session) if now - session.last_seen <= Duration::hours(IDLE_LIMIT_HOURS) => {
                    session.last_seen = now;
                    Some(session.operator_id)
                }
                _ => None,
            }
        };
        let Some(operator_id) = operator_id else {
            self.end(client);
            return Ok(None);
        };
        match store.read(|conn| operators::active_with_permissions(conn, operator_id))? {
            Some((operator, permissions)) => Ok(Some(SignedIn {
                operator,
                permissions,
            })),
            None => {
                // Deactivated or removed since signing in.
                self.end(client);
                Ok(None)
            }
        }
    }

    /// The access check every command passes before its handler runs.
    pub fn authorize(
        &self,
        store: &Store,
        client: &mut Client,
        access: Access,
        now: DateTime<Utc>,
    ) -> Result<Option<SignedIn>> {
        if access == Access::Public {
            return self.current(store, client, now);
        }
        let signed_in = self
            .current(store, client, now)?
            .ok_or(Error::NotSignedIn)?;
        if let Access::Requires(permission) = access
            && !signed_in.permissions.contains(&permission)
        {
            return Err(Error::PermissionDenied(permission));
        }
        Ok(Some(signed_in))
    }
}
