//! The vocabulary of extraction: outcomes, frameworks, kinds, themes, partial dates, quotes,
//! and the [`Evidence`] that every extracted fact carries.
//!
//! The string codes here (`wsoa_required`, `waiting_times`, `2023`, `--01-20`) are a contract
//! with the data's users (domain.md); they appear in JSON, CSV, URLs and the index, and never
//! change.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize, Serializer};

/// The sentence a fact was read from, and where it stands in the article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The whole sentence (or list item, or heading) as the article gives it.
    pub sentence: String,
    /// The index of the paragraph it is in, counting from 0 (the article page's `#p-N` is
    /// this plus one).
    pub paragraph: usize,
}

impl Evidence {
    /// Evidence from a sentence in paragraph `paragraph`.
    pub fn new(sentence: impl Into<String>, paragraph: usize) -> Evidence {
        Evidence { sentence: sentence.into(), paragraph }
    }
}

/// Implements `Display`, `FromStr`, `Serialize` and `Deserialize` through a fixed code table.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value's code, as stored and shown.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($code => Ok($name::$variant),)+
                    _ => Err(format!("unknown {} code {s:?}", stringify!($name))),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

coded_enum! {
    /// The inspection framework: the 2016 "local area SEND inspection" or the 2023 "area SEND
    /// inspection".
    Framework {
        /// May 2016 to 2022: narrative outcome letter, WSoA where weaknesses are significant.
        F2016 => "2016",
        /// From January 2023: one of three outcomes for the local area partnership.
        F2023 => "2023",
    }
}

coded_enum! {
    /// What kind of inspection it was.
    Kind {
        /// A full inspection under either framework.
        Full => "full",
        /// A 2016-framework revisit of an area that had to write a WSoA.
        Revisit => "revisit",
        /// A 2023-framework monitoring inspection after outcome 3.
        Monitoring => "monitoring",
    }
}

coded_enum! {
    /// The outcome codes of domain.md. An unknown outcome is `Option::None`, never guessed.
    Outcome {
        /// 2023 framework, outcome 1.
        Positive => "positive",
        /// 2023 framework, outcome 2.
        Inconsistent => "inconsistent",
        /// 2023 framework, outcome 3.
        SystemicFailings => "systemic_failings",
        /// 2016 framework: a Written Statement of Action was required.
        WsoaRequired => "wsoa_required",
        /// 2016 framework: no WSoA required.
        NoWsoa => "no_wsoa",
        /// A revisit or monitoring inspection found sufficient progress everywhere.
        SufficientProgress => "sufficient_progress",
        /// A revisit or monitoring inspection found too little progress somewhere.
        InsufficientProgress => "insufficient_progress",
    }
}

impl Outcome {
    /// The official wording (or the closest the 2016 framework has to one).
    pub fn official_wording(self) -> &'static str {
        match self {
            Outcome::Positive => {
                "The local area partnership's special educational needs and/or disabilities \
                 (SEND) arrangements typically lead to positive experiences and outcomes for \
                 children and young people with SEND. The local area partnership is taking \
                 action where improvements are needed."
            }
            Outcome::Inconsistent => {
                "The local area partnership's SEND arrangements lead to inconsistent \
                 experiences and outcomes for children and young people with SEND. The local \
                 area partnership must work jointly to make improvements."
            }
            Outcome::SystemicFailings => {
                "There are widespread and/or systemic failings leading to significant concerns \
                 about the experiences and outcomes of children and young people with SEND, \
                 which the local area partnership must address urgently."
            }
            Outcome::WsoaRequired => {
                "A Written Statement of Action is required because of significant areas of \
                 weakness in the local area's practice."
            }
            Outcome::NoWsoa => "No Written Statement of Action was required.",
            Outcome::SufficientProgress => {
                "The local area has made sufficient progress in addressing the significant \
                 weaknesses (or areas for priority action) identified at the previous inspection."
            }
            Outcome::InsufficientProgress => {
                "The local area has not made sufficient progress in addressing one or more of \
                 the significant weaknesses (or areas for priority action) identified at the \
                 previous inspection."
            }
        }
    }

    /// A plain-English gloss for a parent reading the page.
    pub fn gloss(self) -> &'static str {
        match self {
            Outcome::Positive => {
                "The best of the three outcomes: families mostly have good experiences. Next \
                 full inspection in about five years."
            }
            Outcome::Inconsistent => {
                "The middle outcome: some families are well served and others are not. Next \
                 full inspection in about three years."
            }
            Outcome::SystemicFailings => {
                "The lowest outcome: serious problems across the area. A priority action plan, \
                 a monitoring inspection in about 18 months and reinspection in about three years."
            }
            Outcome::WsoaRequired => {
                "Inspectors found significant weaknesses. The council and NHS had to write a \
                 plan to fix them, and inspectors came back to check."
            }
            Outcome::NoWsoa => {
                "Inspectors did not find weaknesses serious enough to need a formal action plan."
            }
            Outcome::SufficientProgress => {
                "On the return visit, inspectors found enough progress on every weakness."
            }
            Outcome::InsufficientProgress => {
                "On the return visit, inspectors found too little progress on at least one \
                 weakness; the government steps in to monitor."
            }
        }
    }

    /// A short label for badges and facet lists.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Positive => "Positive experiences (outcome 1)",
            Outcome::Inconsistent => "Inconsistent experiences (outcome 2)",
            Outcome::SystemicFailings => "Systemic failings (outcome 3)",
            Outcome::WsoaRequired => "Written statement of action required",
            Outcome::NoWsoa => "No written statement of action",
            Outcome::SufficientProgress => "Sufficient progress",
            Outcome::InsufficientProgress => "Insufficient progress",
        }
    }

    /// The framework an outcome belongs to, where it belongs to only one.
    pub fn framework(self) -> Option<Framework> {
        match self {
            Outcome::Positive | Outcome::Inconsistent | Outcome::SystemicFailings => {
                Some(Framework::F2023)
            }
            Outcome::WsoaRequired | Outcome::NoWsoa => Some(Framework::F2016),
            Outcome::SufficientProgress | Outcome::InsufficientProgress => None,
        }
    }
}

coded_enum! {
    /// Whether inspectors praised a theme or said it needs to improve.
    Polarity {
        /// Praised.
        Strength => "strength",
        /// Criticised, or named as an area for improvement.
        Improvement => "improvement",
    }
}

coded_enum! {
    /// What inspectors praise or criticise: the theme ids of domain.md.
    Theme {
        /// Spotting needs early and accurately, graduated response, SEN support.
        IdentificationOfNeeds => "identification_of_needs",
        /// Quality of EHCPs.
        EhcpQuality => "ehcp_quality",
        /// The 20-week timescale, assessment delays.
        EhcpTimeliness => "ehcp_timeliness",
        /// EHCP annual reviews.
        AnnualReviews => "annual_reviews",
        /// Waits for assessment, diagnosis, therapy, equipment, appointments.
        WaitingTimes => "waiting_times",
        /// CAMHS, emotional wellbeing.
        MentalHealth => "mental_health",
        /// Autism, ADHD, neurodevelopmental pathways.
        Neurodevelopmental => "neurodevelopmental",
        /// SALT, OT, physiotherapy.
        Therapies => "therapies",
        /// Wheelchairs and other equipment.
        Equipment => "equipment",
        /// The Local Offer.
        LocalOffer => "local_offer",
        /// SENDIASS, families knowing what help exists.
        InformationAdvice => "information_advice",
        /// Working with the Parent Carer Forum and families.
        Coproduction => "coproduction",
        /// Children's and young people's views heard.
        ChildVoice => "child_voice",
        /// Multi-agency working.
        JointWorking => "joint_working",
        /// LA and NHS commissioning together.
        JointCommissioning => "joint_commissioning",
        /// Strategy, leaders' grip, capacity, pace.
        Leadership => "leadership",
        /// Data and quality assurance.
        QualityAssurance => "quality_assurance",
        /// Transition to adult services.
        PreparingForAdulthood => "preparing_for_adulthood",
        /// Post-16 provision, NEET.
        Post16 => "post16",
        /// Exclusions, inclusion, attendance, missing education.
        ExclusionsInclusion => "exclusions_inclusion",
        /// Alternative provision.
        AlternativeProvision => "alternative_provision",
        /// Children looked after with SEND.
        ChildrenInCare => "children_in_care",
        /// Safeguarding risks.
        Safeguarding => "safeguarding",
        /// Early years support and transition into school.
        EarlyYears => "early_years",
        /// Short breaks, holiday clubs.
        ShortBreaks => "short_breaks",
        /// Enough specialist places.
        PlacementSufficiency => "placement_sufficiency",
        /// Home-to-school transport.
        Transport => "transport",
        /// Staff capacity, recruitment, training.
        Workforce => "workforce",
    }
}

impl Theme {
    /// A human label: "Waiting times", "EHCP quality".
    pub fn label(self) -> &'static str {
        match self {
            Theme::IdentificationOfNeeds => "Identifying needs",
            Theme::EhcpQuality => "EHCP quality",
            Theme::EhcpTimeliness => "EHCP timeliness",
            Theme::AnnualReviews => "Annual reviews",
            Theme::WaitingTimes => "Waiting times",
            Theme::MentalHealth => "Mental health",
            Theme::Neurodevelopmental => "Autism, ADHD and neurodevelopmental pathways",
            Theme::Therapies => "Therapies (speech and language, OT, physio)",
            Theme::Equipment => "Equipment and wheelchairs",
            Theme::LocalOffer => "The Local Offer",
            Theme::InformationAdvice => "Information, advice and support",
            Theme::Coproduction => "Co-production with families",
            Theme::ChildVoice => "Children's voice",
            Theme::JointWorking => "Joint working",
            Theme::JointCommissioning => "Joint commissioning",
            Theme::Leadership => "Leadership",
            Theme::QualityAssurance => "Quality assurance",
            Theme::PreparingForAdulthood => "Preparing for adulthood",
            Theme::Post16 => "Post-16 provision",
            Theme::ExclusionsInclusion => "Exclusions and inclusion",
            Theme::AlternativeProvision => "Alternative provision",
            Theme::ChildrenInCare => "Children in care",
            Theme::Safeguarding => "Safeguarding",
            Theme::EarlyYears => "Early years",
            Theme::ShortBreaks => "Short breaks",
            Theme::PlacementSufficiency => "Specialist places",
            Theme::Transport => "Home-to-school transport",
            Theme::Workforce => "Workforce",
        }
    }
}

coded_enum! {
    /// Whose voice a quote is.
    QuoteKind {
        /// A named person: a councillor, director, ICB officer, forum chair.
        Person => "person",
        /// An organisation speaking as a body ("What does SSIF say?").
        Organisation => "organisation",
        /// The inspectors' report or letter ("the letter states").
        Report => "report",
    }
}

/// A date known only in part, as articles give it: "20 January" has no year, "March 2023" no
/// day. Shown as ISO 8601 truncated forms: `2023-03-06`, `2023-03`, `2023`, `--03-06`, `--03`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PartialDate {
    /// The year, when known.
    pub year: Option<i32>,
    /// The month, 1 to 12, when known.
    pub month: Option<u8>,
    /// The day of the month, when known (only with a month).
    pub day: Option<u8>,
}

impl PartialDate {
    /// A full date. Returns `None` for an impossible one (30 February).
    pub fn ymd(year: i32, month: u8, day: u8) -> Option<PartialDate> {
        (valid_month(month) && day >= 1 && day <= days_in_month(Some(year), month))
            .then_some(PartialDate { year: Some(year), month: Some(month), day: Some(day) })
    }

    /// Any combination of parts; `None` when the parts cannot form a date (a day without a
    /// month, month 13, 31 April).
    pub fn new(year: Option<i32>, month: Option<u8>, day: Option<u8>) -> Option<PartialDate> {
        match (month, day) {
            (None, Some(_)) => return None,
            (Some(m), _) if !valid_month(m) => return None,
            (Some(m), Some(d)) if d < 1 || d > days_in_month(year, m) => return None,
            _ => {}
        }
        if year.is_none() && month.is_none() {
            return None;
        }
        Some(PartialDate { year, month, day })
    }

    /// True when year, month and day are all known.
    pub fn is_complete(&self) -> bool {
        self.year.is_some() && self.month.is_some() && self.day.is_some()
    }

    /// The same date with a year filled in where it had none.
    pub fn with_year(self, year: i32) -> PartialDate {
        PartialDate { year: self.year.or(Some(year)), ..self }
    }

    /// A sortable key: days since 0000-03-01 of the earliest day the date can be (missing
    /// month or day count as the first). `None` without a year.
    pub fn sort_key(&self) -> Option<i64> {
        let year = self.year?;
        Some(days_from_civil(year, self.month.unwrap_or(1), self.day.unwrap_or(1)))
    }

    /// "16 May 2018", "March 2023", "20 January", "2023".
    pub fn human(&self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let mut parts = Vec::with_capacity(3);
        if let Some(d) = self.day {
            parts.push(d.to_string());
        }
        if let Some(m) = self.month {
            parts.push(MONTHS[usize::from(m - 1)].to_string());
        }
        if let Some(y) = self.year {
            parts.push(y.to_string());
        }
        parts.join(" ")
    }
}

fn valid_month(month: u8) -> bool {
    (1..=12).contains(&month)
}

/// Days in a month; February has 29 when the year is unknown (a year-less "29 February" is
/// possible).
fn days_in_month(year: Option<i32>, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        _ => 31,
    }
}

/// Howard Hinnant's `days_from_civil`: days since 1970-01-01.
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.year, self.month, self.day) {
            (Some(y), Some(m), Some(d)) => write!(f, "{y:04}-{m:02}-{d:02}"),
            (Some(y), Some(m), None) => write!(f, "{y:04}-{m:02}"),
            (Some(y), None, _) => write!(f, "{y:04}"),
            (None, Some(m), Some(d)) => write!(f, "--{m:02}-{d:02}"),
            (None, Some(m), None) => write!(f, "--{m:02}"),
            (None, None, _) => Ok(()),
        }
    }
}

impl FromStr for PartialDate {
    type Err = String;

    /// Parses the truncated ISO forms that `Display` writes, and a full RFC 3339 timestamp's
    /// date part (`2018-05-16T09:00:00Z`).
    fn from_str(s: &str) -> Result<PartialDate, String> {
        let bad = || {
            format!("{s:?} is not a date of the form 2023-03-06, 2023-03, 2023, --03-06 or --03")
        };
        let s = s.trim();
        let num = |t: &str| t.parse::<u32>().map_err(|_| bad());
        let date = if let Some(rest) = s.strip_prefix("--") {
            let mut it = rest.split('-');
            let month = num(it.next().ok_or_else(bad)?)?;
            let day = it.next().map(num).transpose()?;
            if it.next().is_some() {
                return Err(bad());
            }
            PartialDate::new(None, u8::try_from(month).ok(), day.and_then(|d| u8::try_from(d).ok()))
        } else {
            let date_part = s.split(['T', ' ']).next().unwrap_or(s);
            let mut it = date_part.split('-');
            let year_text = it.next().ok_or_else(bad)?;
            if year_text.len() != 4 {
                return Err(bad());
            }
            let year = i32::try_from(num(year_text)?).map_err(|_| bad())?;
            let month = it.next().map(num).transpose()?;
            let day = it.next().map(num).transpose()?;
            if it.next().is_some() {
                return Err(bad());
            }
            PartialDate::new(
                Some(year),
                month.and_then(|m| u8::try_from(m).ok()),
                day.and_then(|d| u8::try_from(d).ok()),
            )
        };
        date.ok_or_else(bad)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(y: Option<i32>, m: Option<u8>, d: Option<u8>, expected: &str) {
        let date = PartialDate::new(y, m, d).expect("valid date");
        assert_eq!(date.to_string(), expected);
        assert_eq!(expected.parse::<PartialDate>().unwrap(), date);
    }

    #[test]
    fn partial_dates_print_as_truncated_iso() {
        check(Some(2023), Some(3), Some(6), "2023-03-06");
        check(Some(2018), Some(3), None, "2018-03");
        check(Some(2023), None, None, "2023");
        check(None, Some(1), Some(20), "--01-20");
        check(None, Some(3), None, "--03");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(PartialDate::new(Some(2023), Some(2), Some(29)).is_none());
        assert!(PartialDate::new(Some(2024), Some(2), Some(29)).is_some());
        assert!(PartialDate::new(None, Some(4), Some(31)).is_none());
        assert!(PartialDate::new(None, None, Some(3)).is_none());
        assert!(PartialDate::new(Some(2023), Some(13), None).is_none());
        assert!("2023-02-30".parse::<PartialDate>().is_err());
        assert!("March".parse::<PartialDate>().is_err());
    }

    #[test]
    fn parses_timestamps_date_part() {
        assert_eq!(
            "2018-05-16T09:30:00+01:00".parse::<PartialDate>().unwrap().to_string(),
            "2018-05-16"
        );
    }

    #[test]
    fn sort_key_orders_dates() {
        let a = PartialDate::ymd(2023, 3, 6).unwrap().sort_key().unwrap();
        let b = PartialDate::ymd(2023, 3, 10).unwrap().sort_key().unwrap();
        assert_eq!(b - a, 4);
        assert_eq!(PartialDate::ymd(1970, 1, 1).unwrap().sort_key(), Some(0));
    }

    #[test]
    fn codes_round_trip() {
        for outcome in Outcome::ALL {
            assert_eq!(outcome.code().parse::<Outcome>().unwrap(), *outcome);
        }
        assert_eq!(Theme::ALL.len(), 28);
        assert_eq!("waiting_times".parse::<Theme>().unwrap(), Theme::WaitingTimes);
    }
}
