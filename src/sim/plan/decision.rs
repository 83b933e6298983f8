//! Decision names: how the journal names a decision point and how commands answer it.

/// A decision as the journal raises it and commands answer it: a procedure's decision
/// point, "fin-csirt/fin-intake#1/call-national" (CSIRT, procedure, run from 1, step), an
/// inject's question, by the inject's id, or one addressee's copy of an inject's discussion
/// question, "journalist-call:who-speaks@ducksends". Written and read here only.
///
/// An inject id may itself hold ':' and '@': whoever resolves a [`Self::Discussion`] name
/// tries the whole name as an inject's id first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionName<'a> {
    Step {
        csirt: &'a str,
        sop: &'a str,
        /// The run, counted from 1; absent in a malformed name.
        run: Option<u32>,
        step: &'a str,
    },
    Question(&'a str),
    Discussion {
        inject: &'a str,
        question: &'a str,
        addressee: &'a str,
    },
}

impl<'a> DecisionName<'a> {
    /// `None` when a name with '/' is not "csirt/sop#run/step".
    pub fn parse(name: &'a str) -> Option<Self> {
        let Some((csirt, rest)) = name.split_once('/') else {
            let discussion = name.rsplit_once('@').and_then(|(left, addressee)| {
                let (inject, question) = left.rsplit_once(':')?;
                Some(Self::Discussion {
                    inject,
                    question,
                    addressee,
                })
            });
            return Some(discussion.unwrap_or(Self::Question(name)));
        };
        let (sop_run, step) = rest.rsplit_once('/')?;
        let (sop, run) = match sop_run.rsplit_once('#') {
            Some((sop, run)) => (sop, run.parse().ok()),
            None => (sop_run, None),
        };
        Some(Self::Step {
            csirt,
            sop,
            run,
            step,
        })
    }
}

impl std::fmt::Display for DecisionName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Step {
                csirt,
                sop,
                run,
                step,
            } => write!(f, "{csirt}/{sop}#{}/{step}", run.unwrap_or(0)),
            Self::Question(inject) => f.write_str(inject),
            Self::Discussion {
                inject,
                question,
                addressee,
            } => write!(f, "{inject}:{question}@{addressee}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DecisionName;

    #[test]
    fn decision_names_read_back_as_written() {
        let step = DecisionName::Step {
            csirt: "fin-csirt",
            sop: "fin-intake",
            run: Some(2),
            step: "call-national",
        };
        assert_eq!(step.to_string(), "fin-csirt/fin-intake#2/call-national");
        assert_eq!(
            DecisionName::parse("fin-csirt/fin-intake#2/call-national"),
            Some(step)
        );
        assert_eq!(
            DecisionName::parse("helpdesk-tip"),
            Some(DecisionName::Question("helpdesk-tip"))
        );
        // A run that is not a number, or a name without a step, is not a decision point.
        assert!(matches!(
            DecisionName::parse("fin-csirt/fin-intake#x/call-national"),
            Some(DecisionName::Step { run: None, .. })
        ));
        assert_eq!(DecisionName::parse("fin-csirt/fin-intake"), None);
        let discussion = DecisionName::Discussion {
            inject: "journalist-call",
            question: "who-speaks",
            addressee: "ducksends",
        };
        assert_eq!(
            discussion.to_string(),
            "journalist-call:who-speaks@ducksends"
        );
        assert_eq!(
            DecisionName::parse("journalist-call:who-speaks@ducksends"),
            Some(discussion)
        );
    }
}
