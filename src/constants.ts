/** Names of the Action's inputs and outputs (action.yml), in one place. */
export const Inputs = {
  Config: 'config',
  Mode: 'mode',
  GithubToken: 'github-token',
  Comment: 'comment',
  FailOn: 'fail-on',
  ArtifactName: 'artifact-name',
  RetentionDays: 'retention-days',
  ReportDir: 'report-dir',
  WorkingDirectory: 'working-directory'
} as const;

export const Outputs = {
  Verdict: 'verdict',
  Regressions: 'regressions',
  Improvements: 'improvements',
  ThresholdsFailed: 'thresholds-failed',
  ReportDir: 'report-dir',
  Results: 'results',
  CommentUrl: 'comment-url'
} as const;

export const MODES = ['auto', 'gate', 'baseline', 'comment'] as const;
export const COMMENT_POLICIES = ['always', 'on-change', 'never'] as const;
export const DEFAULT_ARTIFACT_NAME = 'perfgate-report';
/** GitHub drops a step summary over 1 MiB; stay well below it. */
export const JOB_SUMMARY_LIMIT = 1024 * 1024 - 16 * 1024;
