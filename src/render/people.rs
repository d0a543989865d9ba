//! The people index: who is on the team, what they do, and what time it is where they are, so
//! a reader in another zone can tell who is working now before writing to them.

use jiff::tz::TimeZone;

use super::Renderer;
use super::generated::{Rendered, index_context};
use crate::content::{Kind, KindMeta};

/// Everyone with a page, by name.
pub(super) fn render(r: &Renderer<'_>) -> Rendered {
    let mut context = index_context(r, "people/", "People");
    let mut people = r.indices_of(Kind::Person);
    people.sort_by_cached_key(|&i| r.views.link(i).title.to_lowercase());
    let noon = r
        .site
        .today
        .at(12, 0, 0, 0)
        .to_zoned_datetime(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or_default();
    // Each person's `page`, as every list shows pages (`page.person` holds role and time zone),
    // and the UTC `offset` of their time zone on the build day (`UTC+03:00`), shown until the
    // script shows their current time; `null` without a zone, or with one that is not an IANA
    // zone.
    let rows: Vec<tera::Value> = people
        .iter()
        .map(|&i| {
            let zone = match &r.site.pages[i].meta {
                KindMeta::Person(person) => person.timezone.as_deref(),
                _ => None,
            };
            let offset = zone
                .and_then(|name| jiff::tz::db().get(name).ok())
                .map(|tz| utc_offset(tz.to_offset(noon).seconds()));
            r.page_row(i, [("offset", offset.into())])
        })
        .collect();
    context.insert_value("people", tera::Value::from(rows));
    let time_zones = super::hours::shown(r.site).then_some(crate::routes::TIME_ZONES_FILE);
    context.insert("time_zones", &time_zones);
    r.render("people.html", &context, "people/index.html".into())
}

/// `10800` → `UTC+03:00`.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::utc_offset;

    #[test]
    fn offsets_are_written_with_hours_and_minutes() {
        assert_eq!(utc_offset(10800), "UTC+03:00");
        assert_eq!(utc_offset(-9 * 3600 - 1800), "UTC-09:30");
        assert_eq!(utc_offset(0), "UTC+00:00");
        assert_eq!(utc_offset(13 * 3600 + 45 * 60), "UTC+13:45");
    }
}
