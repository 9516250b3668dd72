// ---- the public API: what every entry exports ----
return {
  Template,
  TemplateBase,
  TemplatePaginator,
  TemplateApi,
  defaultBuildLogger,
  ReadyCmd,
  LogEntry,
  LogEntryStart,
  LogEntryEnd,
  Sandbox,
  /** The text of a log message without its terminal colour codes. */
  stripAnsi: (text) => call(() => core.stripAnsi(String(text))),
  ...helpers,
  ...errors,
}
