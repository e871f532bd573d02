// Machine-readable allowlist of the known differences between iamd and
// @cloud-copilot/iam-simulate, where iam-simulate departs from AWS's documented
// behaviour. known_differences.md explains each entry at length.
//
// Each entry:
//   id            short name, also the heading in known_differences.md
//   aws           the decision AWS documents for `minimal_case` (iamd must give it)
//   iam_simulate  what iam-simulate answers instead
//   doc           the AWS documentation page that decides
//   minimal_case  smallest case showing it (run_differential.sh evaluates it
//                 with iamd and requires `aws`)
//   applies(c)    true when a generated case `c` falls under this entry; a
//                 disagreement is excused only if iamd answered `aws` and
//                 iam-simulate answered `iam_simulate`.

export const KNOWN_DIFFERENCES = [];
