// Shared by the scenario-file and CLI tests.

/**
 * Scenario files whose expectations (taken from facts.md, i.e. from the kernel) the runtime does not meet
 * yet. Each runs as an expected failure, so the day the runtime catches up this test fails and the entry
 * must go.
 */
export const RUNTIME_GAPS: Record<string, string> = {};
