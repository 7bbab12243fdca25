//! Column names and what they mean: consumes a file's header (CSV column
//! names, or the flattened keys of JSON records); produces a [`Columns`]
//! map from each [`Field`] (body, title, customer, date, rating …) to the
//! columns that hold it, found through normalised names and aliases, then
//! adjusted by a vendor [`Plan`] and a user mapping.

use crate::ingest::vendors::Plan;
use std::collections::BTreeMap;

/// What a column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Id,
    Body,
    Title,
    CustomerId,
    Email,
    Author,
    Date,
    Rating,
    Score,
    Status,
    Satisfaction,
    Channel,
    Role,
}

const FIELD_COUNT: usize = 13;

impl Field {
    /// The field a user mapping names (see [`options::MAPPABLE_FIELDS`]).
    ///
    /// [`options::MAPPABLE_FIELDS`]: crate::ingest::options::MAPPABLE_FIELDS
    fn from_mapping(name: &str) -> Option<Field> {
        Some(match name {
            "body" => Field::Body,
            "title" => Field::Title,
            "customer" => Field::CustomerId,
            "email" => Field::Email,
            "author" => Field::Author,
            "date" => Field::Date,
            "rating" => Field::Rating,
            "score" => Field::Score,
            "id" => Field::Id,
            "status" => Field::Status,
            "channel" => Field::Channel,
            _ => return None,
        })
    }

    /// The name a dry run shows for the field.
    fn label(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Body => "body",
            Field::Title => "title",
            Field::CustomerId => "customer",
            Field::Email => "email",
            Field::Author => "author",
            Field::Date => "date",
            Field::Rating | Field::Satisfaction => "rating",
            Field::Score => "score",
            Field::Status => "status",
            Field::Channel => "channel",
            Field::Role => "role",
        }
    }
}

/// The fields in the order a dry run lists them.
const REPORT_ORDER: [Field; 13] = [
    Field::Body,
    Field::Title,
    Field::CustomerId,
    Field::Email,
    Field::Author,
    Field::Date,
    Field::Rating,
    Field::Satisfaction,
    Field::Score,
    Field::Id,
    Field::Status,
    Field::Channel,
    Field::Role,
];

/// Column aliases per field, most preferred first (after normalisation:
/// lowercase, camelCase split, runs of other characters → `_`).
#[rustfmt::skip]
const ALIASES: [(Field, &[&str]); FIELD_COUNT] = [
    (Field::Id, &[
        "id", "ticket_id", "review_id", "response_id", "post_id", "conversation_id", "tweet_id",
        "comment_id", "message_id", "record_id",
    ]),
    (Field::Body, &[
        "description", "body", "text", "comment", "comments", "content", "review", "message",
        "verbatim", "feedback", "review_text", "tweet", "full_text", "review_body", "comment_text",
        "post_text", "feedback_text",
    ]),
    (Field::Title, &[
        "title", "subject", "summary", "headline", "review_title",
    ]),
    (Field::CustomerId, &[
        "customer_id", "account_id", "user_id", "customer", "account", "external_id",
        "requester_id", "contact_id",
    ]),
    (Field::Email, &[
        "email", "requester", "requester_email", "respondent", "respondent_email", "user_email",
        "customer_email", "author_email", "email_address", "contact_email",
    ]),
    (Field::Author, &[
        "author", "name", "user", "username", "handle", "reviewer", "respondent", "reviewer_name",
        "author_name", "user_name", "screen_name", "user_screen_name", "display_name",
        "customer_name", "requester_name", "author_username", "nickname",
    ]),
    (Field::Date, &[
        "created_at", "date", "created", "timestamp", "submitted_at", "time", "review_date",
        "posted_at", "date_created", "creation_date", "created_date", "published_at",
        "response_date", "submitted", "updated_at",
    ]),
    (Field::Rating, &[
        "rating", "stars", "star_rating", "review_rating",
    ]),
    (Field::Score, &[
        "score", "nps", "nps_score", "likelihood_to_recommend", "recommend",
    ]),
    (Field::Status, &[
        "status", "ticket_status",
    ]),
    (Field::Satisfaction, &[
        "satisfaction", "satisfaction_rating", "csat", "satisfaction_score", "csat_score",
    ]),
    (Field::Channel, &[
        "channel", "store", "platform", "source", "network", "app_store",
    ]),
    (Field::Role, &[
        "role", "author_type", "sender_type", "author_role", "from_type", "speaker_role",
    ]),
];

/// Lowercases, splits camelCase and turns runs of anything but letters and
/// digits into one `_`: `Ticket ID` → `ticket_id`, `createdAt` →
/// `created_at`.
pub(crate) fn normalize_column(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.trim().trim_start_matches('\u{feff}').chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// Which columns hold which field, in order of preference.
#[derive(Debug, Default)]
pub(super) struct Columns {
    pub(super) by_field: [Vec<usize>; FIELD_COUNT],
}

impl Columns {
    /// Maps normalised column names to fields: exact aliases first, then a
    /// few loose matches (`How likely are you to recommend us?` → score,
    /// `Additional comments` → body, `Requester email address` → email).
    pub(super) fn new(names: &[String]) -> Columns {
        let mut cols = Columns::default();
        for (slot, (_, aliases)) in ALIASES.iter().enumerate() {
            let mut found: Vec<(usize, usize)> = names
                .iter()
                .enumerate()
                .filter_map(|(i, n)| aliases.iter().position(|a| a == n).map(|rank| (rank, i)))
                .collect();
            found.sort();
            cols.by_field[slot] = found.into_iter().map(|(_, i)| i).collect();
        }
        let mapped: Vec<bool> = (0..names.len())
            .map(|i| cols.by_field.iter().any(|v| v.contains(&i)))
            .collect();
        let loose = |cols: &mut Columns, field: Field, test: &dyn Fn(&str) -> bool| {
            let slot = field as usize;
            if cols.by_field[slot].is_empty() {
                cols.by_field[slot] = names
                    .iter()
                    .enumerate()
                    .filter(|&(i, n)| !mapped[i] && test(n))
                    .map(|(i, _)| i)
                    .collect();
            }
        };
        loose(&mut cols, Field::Score, &|n| {
            n.contains("recommend") || n.starts_with("nps") || n.ends_with("_nps")
        });
        // Open-ended survey questions: `What is the main reason for your
        // score?`, `Anything else you'd like to tell us?`.
        loose(&mut cols, Field::Body, &|n| {
            [
                "comment",
                "feedback",
                "verbatim",
                "reason",
                "why",
                "tell_us",
                "anything_else",
                "improve",
                "explain",
                "describe",
                "open_ended",
                "answer",
            ]
            .iter()
            .any(|w| n.contains(w))
        });
        loose(&mut cols, Field::Email, &|n| n.contains("email"));
        // Dates: `Review Submit Date and Time`, `solved_at` … preferring
        // creation over update, close or due dates.
        let later = |n: &str| {
            ["updat", "modif", "solved", "closed", "due", "resolved"]
                .iter()
                .any(|w| n.contains(w))
        };
        let datey = |n: &str| n.contains("date") || n.ends_with("_at") || n.contains("timestamp");
        loose(&mut cols, Field::Date, &|n| datey(n) && !later(n));
        loose(&mut cols, Field::Date, &|n| datey(n));
        cols
    }

    pub(super) fn has(&self, f: Field) -> bool {
        !self.by_field[f as usize].is_empty()
    }

    /// Replaces the columns of a field.
    fn set(&mut self, f: Field, cols: Vec<usize>) {
        self.by_field[f as usize] = cols;
    }

    /// Removes a column from every field (before pinning it to one).
    fn release(&mut self, col: usize) {
        for v in &mut self.by_field {
            v.retain(|&c| c != col);
        }
    }

    /// Applies a vendor plan's pins.
    pub(super) fn apply_plan(&mut self, plan: &Plan) {
        for (field, cols) in &plan.pins {
            for &c in cols {
                self.release(c);
            }
            self.set(*field, cols.clone());
        }
        for &c in plan.answers.iter().chain(&plan.reply) {
            self.release(c);
        }
    }

    /// Pins each mapped field to its column. `names` are the columns as
    /// written, `norm` their normalised forms. With `require`, a mapped
    /// column the file lacks is an error naming it and listing the columns;
    /// without, the field is left empty (a JSON record without that key).
    pub(super) fn apply_mapping(
        &mut self,
        names: &[String],
        norm: &[String],
        mapping: &BTreeMap<String, String>,
        require: bool,
    ) -> Result<(), String> {
        for (field, column) in mapping {
            let Some(f) = Field::from_mapping(field) else {
                return Err(format!(
                    "mapping names unknown field '{field}' (expected one of {})",
                    crate::ingest::options::MAPPABLE_FIELDS.join(", ")
                ));
            };
            let want = column.trim();
            let wanted_norm = normalize_column(want);
            let col = names
                .iter()
                .position(|n| n.trim().eq_ignore_ascii_case(want))
                .or_else(|| {
                    (!wanted_norm.is_empty())
                        .then(|| norm.iter().position(|n| *n == wanted_norm))
                        .flatten()
                });
            match col {
                Some(c) => {
                    self.release(c);
                    self.set(f, vec![c]);
                    if f == Field::Rating {
                        self.set(Field::Satisfaction, Vec::new());
                    }
                }
                None if require => {
                    return Err(format!(
                        "mapped column '{column}' (for {field}) is not in this file; its columns are: {}",
                        names.join(", ")
                    ))
                }
                None => self.set(f, Vec::new()),
            }
        }
        Ok(())
    }

    /// The column used for each field, as (field, column name), for a dry
    /// run.
    pub(super) fn describe(&self, names: &[String], plan: Option<&Plan>) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for f in REPORT_ORDER {
            if f == Field::Satisfaction && self.has(Field::Rating) {
                continue;
            }
            if let Some(name) = self.by_field[f as usize]
                .first()
                .and_then(|&i| names.get(i))
            {
                out.push((f.label().to_string(), name.clone()));
            }
        }
        if let Some(plan) = plan {
            for &i in &plan.answers {
                if let Some(n) = names.get(i) {
                    out.push(("answer".to_string(), n.clone()));
                }
            }
            if let Some(n) = plan.reply.and_then(|i| names.get(i)) {
                out.push(("reply".to_string(), n.clone()));
            }
        }
        out
    }

    /// Non-empty trimmed values of a field, most preferred column first.
    pub(super) fn values<'a>(
        &'a self,
        f: Field,
        values: &'a [Option<String>],
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.by_field[f as usize]
            .iter()
            .filter_map(move |&i| values.get(i).and_then(|v| v.as_deref()))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    pub(super) fn get<'a>(&'a self, f: Field, values: &'a [Option<String>]) -> Option<&'a str> {
        self.values(f, values).next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_normalise() {
        assert_eq!(normalize_column("Ticket ID"), "ticket_id");
        assert_eq!(normalize_column("  created_at "), "created_at");
        assert_eq!(normalize_column("createdAt"), "created_at");
        assert_eq!(normalize_column("Review-Text"), "review_text");
        assert_eq!(normalize_column("\u{feff}id"), "id");
        assert_eq!(
            normalize_column("How likely are you to recommend us? (0-10)"),
            "how_likely_are_you_to_recommend_us_0_10"
        );
    }
}
