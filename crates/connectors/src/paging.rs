//! Paging safety: a pass over a stream stops with an error, instead of
//! looping, when the platform hands back a page token it gave before or the
//! very same page of records again, or runs past a sane number of pages.

use std::collections::HashSet;

use crate::error::ConnectorError;

/// Far more pages than any real account has (200 records each).
pub const MAX_PAGES: u32 = 100_000;

#[derive(Debug, Default)]
pub struct PageGuard {
    tokens: HashSet<String>,
    pages: HashSet<u64>,
    count: u32,
}

impl PageGuard {
    /// Checks the token that asks for the next page.
    pub fn next_token(
        &mut self,
        token: &str,
        platform: &str,
        stream: &str,
    ) -> Result<(), ConnectorError> {
        if !self.tokens.insert(token.to_owned()) {
            return Err(ConnectorError::platform_data(
                platform,
                &format!("the list of {stream}"),
                format!("it asked for page “{token}” a second time, which would loop forever"),
            ));
        }
        Ok(())
    }

    /// Checks the ids on a page just read.
    pub fn page(
        &mut self,
        ids: &[&str],
        platform: &str,
        stream: &str,
    ) -> Result<(), ConnectorError> {
        self.count += 1;
        if self.count > MAX_PAGES {
            return Err(ConnectorError::platform_data(
                platform,
                &format!("the list of {stream}"),
                "it never ended",
            ));
        }
        if ids.is_empty() {
            return Ok(());
        }
        let fingerprint = xxh(ids);
        if !self.pages.insert(fingerprint) {
            return Err(ConnectorError::platform_data(
                platform,
                &format!("the list of {stream}"),
                "it sent the same page of records twice, which would loop forever",
            ));
        }
        Ok(())
    }
}

fn xxh(ids: &[&str]) -> u64 {
    // FNV-1a over the ids: enough to tell pages apart.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for id in ids {
        for byte in id.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_page_token_is_refused() {
        let mut guard = PageGuard::default();
        guard
            .next_token("abc", "Platform", "users")
            .expect("first time is fine");
        assert!(
            guard.next_token("abc", "Platform", "users").is_err(),
            "the same token twice would loop"
        );
    }

    #[test]
    fn the_same_page_of_records_twice_is_refused() {
        let mut guard = PageGuard::default();
        guard
            .page(&["1", "2"], "Platform", "users")
            .expect("first page");
        guard
            .page(&["3", "4"], "Platform", "users")
            .expect("second page");
        assert!(
            guard.page(&["1", "2"], "Platform", "users").is_err(),
            "page one again means a loop"
        );
    }
}
