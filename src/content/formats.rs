//! Decision-log formats read as they are: metadata written in the body by adr-tools (Nygard),
//! MADR, Log4brains and RFC-style logs.
