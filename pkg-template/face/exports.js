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
  ...helpers,
  ...errors,
}
