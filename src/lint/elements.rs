//! The element sets a playbook can require its messages to carry: what
//! public-health guidance or the law says a message must contain. Each
//! element has a name (the key a playbook uses under `elements:`) and what
//! it is, in words, for findings and the docs.

/// One element of a set.
pub struct Element {
    pub name: &'static str,
    /// What the element says, for a finding: "what is not yet known".
    pub what: &'static str,
}

/// A named set of elements, and whether they must come in order.
pub struct ElementSet {
    pub name: &'static str,
    /// Where the set comes from.
    pub source: &'static str,
    pub elements: &'static [Element],
    /// The elements must appear in this order (headings of a notice).
    pub ordered: bool,
}

/// Every set, in the order the docs list them.
pub const SETS: &[ElementSet] = &[
    ElementSet {
        name: "cerc-first-message",
        source: "CDC, Crisis and Emergency Risk Communication (CERC), the first message of a crisis",
        ordered: false,
        elements: &[
            Element { name: "empathy", what: "an expression of empathy" },
            Element { name: "facts", what: "the confirmed facts" },
            Element { name: "unknowns", what: "what is not yet known" },
            Element { name: "actions", what: "what people should do" },
            Element { name: "updates", what: "how and when updates will come" },
            Element { name: "more_info", what: "where to get more information" },
        ],
    },
    ElementSet {
        name: "hipaa-breach-individual",
        source: "45 CFR 164.404(c)(1), the content of a breach notice to individuals",
        ordered: false,
        elements: &[
            Element { name: "what_happened", what: "a brief description of what happened" },
            Element { name: "breach_date", what: "the date of the breach" },
            Element { name: "discovery_date", what: "the date the breach was discovered" },
            Element { name: "information_involved", what: "the kinds of information involved" },
            Element { name: "steps_to_take", what: "the steps people should take to protect themselves" },
            Element { name: "what_we_are_doing", what: "what the organisation is doing to investigate, mitigate harm and prevent further breaches" },
            Element { name: "toll_free_number", what: "a toll-free telephone number" },
            Element { name: "contact_address", what: "an email address, website or postal address" },
        ],
    },
    ElementSet {
        name: "california-breach",
        source: "California Civil Code 1798.82(d)(1): the title and the headings, in this order",
        ordered: true,
        elements: &[
            Element { name: "title", what: "the title \"Notice of Data Breach\"" },
            Element { name: "what_happened", what: "the heading \"What Happened\"" },
            Element { name: "what_information", what: "the heading \"What Information Was Involved\"" },
            Element { name: "what_we_are_doing", what: "the heading \"What We Are Doing\"" },
            Element { name: "what_you_can_do", what: "the heading \"What You Can Do\"" },
            Element { name: "more_information", what: "the heading \"For More Information\"" },
        ],
    },
];

/// The set called `name`.
pub fn set(name: &str) -> Option<&'static ElementSet> {
    SETS.iter().find(|s| s.name == name)
}
