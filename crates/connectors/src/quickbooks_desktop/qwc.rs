//! The `.qwc` file an admin adds to the Web Connector: where Timebridge
//! answers, the username it expects (never the password, which the admin
//! types into the Web Connector), and how often to update.

use super::xml::escape;

/// What a `.qwc` file says.
#[derive(Debug, Clone)]
pub struct Qwc<'a> {
    /// The application's name in the Web Connector's list.
    pub name: &'a str,
    /// Where Timebridge answers (`http://localhost:…` on the same computer).
    pub url: &'a str,
    pub username: &'a str,
    /// `{GUID}`s fixed when the integration is connected.
    pub owner_id: &'a str,
    pub file_id: &'a str,
    /// The Web Connector's own schedule; `None` updates only on request.
    pub every_minutes: Option<u32>,
    /// Timebridge only reads (`IsReadOnly`: QuickBooks grants read-only
    /// access); off once payroll is published into this company file.
    pub read_only: bool,
}

impl Qwc<'_> {
    pub fn render(&self) -> String {
        let scheduler = self
            .every_minutes
            .map(|m| format!("\n  <Scheduler><RunEveryNMinutes>{m}</RunEveryNMinutes></Scheduler>"))
            .unwrap_or_default();
        let url = escape(self.url);
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<QBWCXML>
  <AppName>{name}</AppName>
  <AppID></AppID>
  <AppURL>{url}</AppURL>
  <AppDescription>{description}</AppDescription>
  <AppSupport>{url}?support</AppSupport>
  <UserName>{username}</UserName>
  <OwnerID>{owner}</OwnerID>
  <FileID>{file}</FileID>
  <QBType>QBFS</QBType>{scheduler}
  <IsReadOnly>{read_only}</IsReadOnly>
  <PersonalDataPref>pdpOptional</PersonalDataPref>
  <UnattendedModePref>umpOptional</UnattendedModePref>
  <AuthFlags>0xF</AuthFlags>
</QBWCXML>
"#,
            name = escape(self.name),
            username = escape(self.username),
            owner = escape(self.owner_id),
            file = escape(self.file_id),
            read_only = self.read_only,
            description = if self.read_only {
                "Timebridge reads employees, customers and jobs, service items and payroll items from this company file."
            } else {
                "Timebridge reads employees, customers and jobs, service items and payroll items from this company file, \
                 and writes payroll hours into it as time-tracking entries."
            },
        )
    }
}

/// A new `{GUID}` for OwnerID and FileID.
pub fn new_guid() -> String {
    let mut bytes = [0u8; 16];
    let _ = getrandom::fill(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    format!(
        "{{{}-{}-{}-{}-{}}}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qwc() -> Qwc<'static> {
        Qwc {
            name: "Timebridge · Smith & Sons",
            url: "http://localhost:52089/qbwc",
            username: "office",
            owner_id: "{57F3B9B1-86F1-4FCC-B1EE-566DE1813D20}",
            file_id: "{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}",
            every_minutes: Some(120),
            read_only: true,
        }
    }

    #[test]
    fn the_file_names_the_address_user_and_schedule() {
        let text = qwc().render();
        let doc = roxmltree::Document::parse(&text).expect("the .qwc is well-formed XML");
        let field = |name: &str| {
            doc.descendants()
                .find(|n| n.tag_name().name() == name)
                .and_then(|n| n.text())
                .map(str::to_owned)
        };
        assert_eq!(
            field("AppURL").as_deref(),
            Some("http://localhost:52089/qbwc")
        );
        assert_eq!(field("UserName").as_deref(), Some("office"));
        assert_eq!(
            field("AppName").as_deref(),
            Some("Timebridge · Smith & Sons"),
            "the name is escaped and reads back"
        );
        assert_eq!(
            field("RunEveryNMinutes").as_deref(),
            Some("120"),
            "the Web Connector updates on the integration's interval"
        );
        assert!(
            !text.to_ascii_lowercase().contains("password"),
            "the password is never written to the file"
        );
    }

    #[test]
    fn the_file_asks_for_write_access_only_when_publishing() {
        let field = |qwc: Qwc<'_>| {
            let text = qwc.render();
            let doc = roxmltree::Document::parse(&text).expect("well-formed");
            doc.descendants()
                .find(|n| n.has_tag_name("IsReadOnly"))
                .and_then(|n| n.text())
                .map(str::to_owned)
        };
        assert_eq!(
            field(qwc()).as_deref(),
            Some("true"),
            "a connection that only reads asks for read-only access"
        );
        assert_eq!(
            field(Qwc {
                read_only: false,
                ..qwc()
            })
            .as_deref(),
            Some("false"),
            "publishing needs read-write access"
        );
    }

    #[test]
    fn guids_are_braced_and_differ() {
        let (a, b) = (new_guid(), new_guid());
        assert_eq!(a.len(), 38, "{{8-4-4-4-12}}: {a}");
        assert!(a.starts_with('{') && a.ends_with('}'));
        assert_ne!(a, b, "each connection gets its own ids");
    }
}
