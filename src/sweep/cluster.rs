//! `--shard auto`: which shard of a sweep this process is, read from the batch system that
//! started it, so one job script serves every task of a Slurm job array or a Kubernetes
//! Indexed Job.
//!
//! The shard must be exactly the one `--shard K/M` would name, or the merged sweep would
//! not be what one machine prints: task `SLURM_ARRAY_TASK_MIN + i` (or completion index
//! `i`) is shard `i + 1` of M. Whatever cannot be mapped that way is refused rather than
//! guessed: an array with a step other than 1 or with gaps (its tasks would not be
//! numbered 0..M), an index out of range, Kubernetes without `--shards`.

/// Where the shard came from, for the log line a cluster user reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutoShard {
    /// (K, M), 1 ≤ K ≤ M, as `--shard K/M`.
    pub shard: (u64, u64),
    /// E.g. "Slurm array task 5 of 4-7".
    pub source: String,
}

const NEITHER: &str = "--shard auto needs a Slurm job array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT, as sbatch --array sets them) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with --shards N, the Job's completions); neither is set: give --shard K/M instead";

/// Reads the shard from the environment through `var` (the process environment in the
/// program, a table in tests). `shards` is `--shards N`: required by Kubernetes, which
/// does not tell a pod how many completions its Job has; with Slurm it must agree with
/// the array's task count.
pub fn auto_shard(
    var: &dyn Fn(&str) -> Option<String>,
    shards: Option<u64>,
) -> Result<AutoShard, String> {
    let get = |name: &str| var(name).filter(|v| !v.trim().is_empty());
    let number = |name: &str| -> Result<Option<u64>, String> {
        get(name)
            .map(|v| {
                v.trim()
                    .parse::<u64>()
                    .map_err(|_| format!("{name}={v}: expected a whole number"))
            })
            .transpose()
    };
    let slurm = number("SLURM_ARRAY_TASK_ID")?;
    let kubernetes = number("JOB_COMPLETION_INDEX")?;
    match (slurm, kubernetes) {
        (Some(_), Some(_)) => Err(
            "--shard auto: both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set, so which shard this is is ambiguous; give --shard K/M".into(),
        ),
        (Some(id), None) => {
            let required = |name: &str| {
                number(name)?.ok_or_else(|| {
                    format!("--shard auto: SLURM_ARRAY_TASK_ID is set but {name} is not; is this a job array (sbatch --array)?")
                })
            };
            let min = required("SLURM_ARRAY_TASK_MIN")?;
            let count = required("SLURM_ARRAY_TASK_COUNT")?;
            if let Some(step) = number("SLURM_ARRAY_TASK_STEP")?
                && step != 1
            {
                return Err(format!(
                    "--shard auto: the job array's step is {step} (SLURM_ARRAY_TASK_STEP); only an array of consecutive tasks maps onto shards: submit with --array=0-{}",
                    count.saturating_sub(1)
                ));
            }
            if let Some(max) = number("SLURM_ARRAY_TASK_MAX")?
                && max.checked_sub(min).and_then(|d| d.checked_add(1)) != Some(count)
            {
                return Err(format!(
                    "--shard auto: the job array runs {count} tasks from {min} to {max}, so it has gaps; only an array of consecutive tasks maps onto shards: submit with --array=0-{}",
                    count.saturating_sub(1)
                ));
            }
            if count == 0 {
                return Err("--shard auto: SLURM_ARRAY_TASK_COUNT is 0".into());
            }
            let index = id
                .checked_sub(min)
                .filter(|i| *i < count)
                .ok_or_else(|| {
                    format!(
                        "--shard auto: SLURM_ARRAY_TASK_ID {id} is out of range: the array's {count} tasks are {min} to {}",
                        min + count - 1
                    )
                })?;
            if let Some(n) = shards
                && n != count
            {
                return Err(format!(
                    "--shards {n}, but the Slurm job array has {count} tasks (SLURM_ARRAY_TASK_COUNT): leave --shards out under Slurm, or make them agree"
                ));
            }
            Ok(AutoShard {
                shard: (index + 1, count),
                source: format!(
                    "Slurm array task {id} of {min}-{}",
                    min + count - 1
                ),
            })
        }
        (None, Some(index)) => {
            let Some(n) = shards else {
                return Err(format!(
                    "--shard auto: JOB_COMPLETION_INDEX={index} (a Kubernetes Indexed Job) needs --shards N, the Job's completions"
                ));
            };
            if index >= n {
                return Err(format!(
                    "--shard auto: JOB_COMPLETION_INDEX {index} is out of range for --shards {n} (indexes 0 to {}): does --shards match the Job's completions?",
                    n.saturating_sub(1)
                ));
            }
            Ok(AutoShard {
                shard: (index + 1, n),
                source: format!("Kubernetes completion index {index} of {n}"),
            })
        }
        (None, None) => Err(NEITHER.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    fn slurm(id: &str) -> impl Fn(&str) -> Option<String> + use<> {
        env(&[
            ("SLURM_ARRAY_TASK_ID", id),
            ("SLURM_ARRAY_TASK_MIN", "4"),
            ("SLURM_ARRAY_TASK_MAX", "7"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_STEP", "1"),
        ])
    }

    #[test]
    fn slurm_tasks_count_from_the_arrays_first() {
        assert_eq!(auto_shard(&slurm("4"), None).unwrap().shard, (1, 4));
        assert_eq!(auto_shard(&slurm("7"), None).unwrap().shard, (4, 4));
        assert_eq!(auto_shard(&slurm("6"), Some(4)).unwrap().shard, (3, 4));
        assert!(
            auto_shard(&slurm("8"), None)
                .unwrap_err()
                .contains("out of range")
        );
        assert!(
            auto_shard(&slurm("3"), None)
                .unwrap_err()
                .contains("out of range")
        );
        assert!(
            auto_shard(&slurm("5"), Some(3))
                .unwrap_err()
                .contains("--shards 3")
        );
    }

    #[test]
    fn arrays_that_are_not_consecutive_are_refused() {
        let stepped = env(&[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_MAX", "6"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
        ]);
        assert!(
            auto_shard(&stepped, None)
                .unwrap_err()
                .contains("step is 2")
        );
        let gaps = env(&[
            ("SLURM_ARRAY_TASK_ID", "5"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_MAX", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ]);
        assert!(auto_shard(&gaps, None).unwrap_err().contains("gaps"));
    }

    #[test]
    fn kubernetes_needs_the_number_of_completions() {
        let pod = env(&[("JOB_COMPLETION_INDEX", "0")]);
        assert_eq!(auto_shard(&pod, Some(3)).unwrap().shard, (1, 3));
        assert!(
            auto_shard(&pod, None)
                .unwrap_err()
                .contains("needs --shards N")
        );
        let last = env(&[("JOB_COMPLETION_INDEX", "3")]);
        assert!(
            auto_shard(&last, Some(3))
                .unwrap_err()
                .contains("out of range")
        );
    }

    #[test]
    fn nothing_to_read_or_nonsense_is_a_clear_error() {
        assert!(
            auto_shard(&env(&[]), None)
                .unwrap_err()
                .contains("neither is set")
        );
        let garbage = env(&[("JOB_COMPLETION_INDEX", "two")]);
        assert!(
            auto_shard(&garbage, Some(3))
                .unwrap_err()
                .contains("whole number")
        );
        let half = env(&[("SLURM_ARRAY_TASK_ID", "1")]);
        assert!(
            auto_shard(&half, None)
                .unwrap_err()
                .contains("SLURM_ARRAY_TASK_MIN")
        );
    }
}
