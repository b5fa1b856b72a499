//! Locales as parsed language identifiers, never bare strings.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use unic_langid::LanguageIdentifier;

/// A content locale such as `nb-NO`, `nl-NL` or `en-US`, in canonical form.
///
/// ```
/// use remedy::Locale;
/// let l: Locale = "nb-no".parse().unwrap();
/// assert_eq!(l.to_string(), "nb-NO");
/// assert_eq!(l.language(), "nb");
/// assert!("not a locale!".parse::<Locale>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Locale(LanguageIdentifier);

/// A string that is not a language tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a language tag such as nb-NO")]
pub struct InvalidLocale(pub String);

impl Locale {
    /// The English of the span sources: every span article has an en-US twin.
    pub fn en_us() -> Locale {
        "en-US".parse().expect("valid tag")
    }

    /// The language subtag: `nb`, `nl`, `en`.
    pub fn language(&self) -> &str {
        self.0.language.as_str()
    }

    /// The ICU4X language identifier, for locale negotiation and formatters.
    pub fn id(&self) -> &LanguageIdentifier {
        &self.0
    }

    /// Whether `s` looks like a folder named for a locale (`nb-NO`, `nl-nl`): a language
    /// and a region, so that ordinary folder names like `articles` are not taken for one.
    pub fn from_folder_name(s: &str) -> Option<Locale> {
        let locale: Locale = s.parse().ok()?;
        locale.0.region.is_some().then_some(locale)
    }
}

impl FromStr for Locale {
    type Err = InvalidLocale;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("und") {
            return Err(InvalidLocale(s.to_owned()));
        }
        t.parse::<LanguageIdentifier>()
            .map(Locale)
            .map_err(|_| InvalidLocale(s.to_owned()))
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Locale {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names() {
        assert_eq!(
            Locale::from_folder_name("nl-NL").unwrap().to_string(),
            "nl-NL"
        );
        assert!(Locale::from_folder_name("articles").is_none());
        assert!(Locale::from_folder_name("AlchemyInsights").is_none());
        assert!(Locale::from_folder_name("nb").is_none());
    }
}
