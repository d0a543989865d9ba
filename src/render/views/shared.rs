//! One template value for each of the small views that many pages show alike: a status, a
//! person, a tag, a reference to a decision. A Tera map costs hundreds of bytes however small it
//! is, and the page views of a generated handbook of 10,000 pages held 95,000 of these, 125 of
//! them distinct.
//!
//! A field marked `#[serde(serialize_with = "shared::…")]` serializes as the template value made
//! for the first equal view. Tera takes a [`tera::Value`] met while serializing into one as it
//! is, sharing it (its maps are reference-counted and never changed in place, so sharing cannot
//! show); any other serializer gets the view's own form. A serializer that is not human-readable
//! (bincode, in which `serve` takes the fingerprints of page views) is given the view itself
//! rather than its shared value: making or finding that value took most of a fingerprint's time.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{LazyLock, Mutex, PoisonError};

use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};

use super::{AttendeeView, DecisionRef, LinkView, PersonRef, StatusView};

/// The made values are kept for the whole process, like highlighted code: a view's value
/// depends on nothing but the view. Past this many of one kind (a handbook with thousands of
/// tags, or a long `serve` session), they are dropped and made again.
const MAX_MADE: usize = 4096;

/// The template values made so far for views of one type.
type Made<T> = LazyLock<Mutex<HashMap<T, tera::Value, foldhash::fast::RandomState>>>;

/// A view that many pages show alike.
pub(super) trait SharedView: Serialize + Eq + Hash + Clone + Sized + 'static {
    /// The values made so far for views of this type.
    fn made() -> &'static Made<Self>;

    /// The template value of this view, made once for all equal views.
    fn value(&self) -> tera::Value {
        let mut made = Self::made().lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(value) = made.get(self) {
            return value.clone();
        }
        if made.len() >= MAX_MADE {
            made.clear();
        }
        let value = tera::Value::from_serializable(self);
        made.insert(self.clone(), value.clone());
        value
    }
}

macro_rules! shared_view {
    ($($view:ty),*) => {$(
        impl SharedView for $view {
            fn made() -> &'static Made<Self> {
                static MADE: Made<$view> = LazyLock::new(Default::default);
                &MADE
            }
        }
    )*};
}

shared_view!(StatusView, PersonRef, LinkView, AttendeeView, DecisionRef);

/// Serializes `view`, when there is one, as its shared template value.
pub(super) fn optional<T: SharedView, S: Serializer>(view: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
    if !serializer.is_human_readable() {
        return view.serialize(serializer);
    }
    match view {
        Some(view) => serializer.serialize_some(&view.value()),
        None => serializer.serialize_none(),
    }
}

/// Serializes `views` as a list of their shared template values.
pub(super) fn all<T: SharedView, S: Serializer>(views: &[T], serializer: S) -> Result<S::Ok, S::Error> {
    if !serializer.is_human_readable() {
        return views.serialize(serializer);
    }
    if views.is_empty() {
        return EMPTY_LIST.serialize(serializer);
    }
    let mut list = serializer.serialize_seq(Some(views.len()))?;
    for view in views {
        list.serialize_element(&view.value())?;
    }
    list.end()
}

/// Serializes `views` as a list, the one template value of the empty list when it is empty: most
/// lists of a view are (a decision's chain, an action item's history), and each empty list was
/// an allocation of its own.
pub(super) fn list<T: Serialize, S: Serializer>(views: &[T], serializer: S) -> Result<S::Ok, S::Error> {
    match views {
        [] => EMPTY_LIST.serialize(serializer),
        views => views.serialize(serializer),
    }
}

/// Serializes `map`, the one template value of the empty map when it is empty (a page's
/// `extra` mostly is).
pub(super) fn map<S: Serializer>(
    map: &serde_json::Map<String, serde_json::Value>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match map.is_empty() {
        true => EMPTY_MAP.serialize(serializer),
        false => map.serialize(serializer),
    }
}

/// The template values of the empty list and map.
static EMPTY_LIST: LazyLock<tera::Value> = LazyLock::new(|| tera::Value::from(Vec::<tera::Value>::new()));
static EMPTY_MAP: LazyLock<tera::Value> =
    LazyLock::new(|| tera::Value::from(std::collections::BTreeMap::<String, tera::Value>::new()));

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Page {
        #[serde(serialize_with = "all")]
        people: Vec<PersonRef>,
        #[serde(serialize_with = "optional")]
        owner: Option<PersonRef>,
    }

    fn ana() -> PersonRef {
        PersonRef {
            name: "Ana Lima".into(),
            href: Some("people/ana/index.html".into()),
        }
    }

    #[test]
    fn equal_views_are_one_template_value_and_serialize_as_themselves_elsewhere() {
        let page = Page {
            people: vec![ana(), ana()],
            owner: Some(ana()),
        };
        let json = serde_json::json!({
            "people": [
                {"name": "Ana Lima", "href": "people/ana/index.html"},
                {"name": "Ana Lima", "href": "people/ana/index.html"},
            ],
            "owner": {"name": "Ana Lima", "href": "people/ana/index.html"},
        });
        assert_eq!(serde_json::to_value(&page).unwrap(), json);
        let value = tera::Value::from_serializable(&page);
        assert_eq!(value, tera::Value::from_serializable(&json));
        let map = value.as_map().unwrap();
        let people = map[&tera::value::Key::Str("people")].as_array().unwrap();
        let owner = &map[&tera::value::Key::Str("owner")];
        let address = |v: &tera::Value| std::ptr::from_ref(v.as_map().unwrap());
        assert_eq!(address(&people[0]), address(&people[1]));
        assert_eq!(address(&people[0]), address(owner));
        let none = Page {
            people: Vec::new(),
            owner: None,
        };
        assert_eq!(
            serde_json::to_value(&none).unwrap(),
            serde_json::json!({"people": [], "owner": null})
        );
    }

    #[derive(Serialize)]
    struct Lists {
        #[serde(serialize_with = "all")]
        people: Vec<PersonRef>,
        #[serde(serialize_with = "list")]
        numbers: Vec<u32>,
        #[serde(serialize_with = "map")]
        extra: serde_json::Map<String, serde_json::Value>,
    }

    #[test]
    fn empty_lists_and_maps_are_one_template_value_and_full_ones_are_themselves() {
        let empty = || Lists {
            people: Vec::new(),
            numbers: Vec::new(),
            extra: serde_json::Map::new(),
        };
        let json = serde_json::json!({"people": [], "numbers": [], "extra": {}});
        assert_eq!(serde_json::to_value(empty()).unwrap(), json);
        let (a, b) = (
            tera::Value::from_serializable(&empty()),
            tera::Value::from_serializable(&empty()),
        );
        assert_eq!(a, tera::Value::from_serializable(&json));
        let field =
            |value: &tera::Value, name: &'static str| value.as_map().unwrap()[&tera::value::Key::Str(name)].clone();
        // An empty list's elements are at no address, so only the map's sharing shows.
        let map = |value: &tera::Value| std::ptr::from_ref(field(value, "extra").as_map().unwrap()) as *const ();
        assert_eq!(map(&a), map(&b));
        let full = Lists {
            people: vec![ana()],
            numbers: vec![7],
            extra: serde_json::Map::from_iter([("team".to_string(), serde_json::json!("ops"))]),
        };
        assert_eq!(
            serde_json::to_value(&full).unwrap(),
            serde_json::json!({
                "people": [{"name": "Ana Lima", "href": "people/ana/index.html"}],
                "numbers": [7],
                "extra": {"team": "ops"},
            })
        );
        assert_eq!(
            tera::Value::from_serializable(&full),
            tera::Value::from_serializable(&serde_json::to_value(&full).unwrap())
        );
    }
}
