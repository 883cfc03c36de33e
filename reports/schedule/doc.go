// Package schedule runs the recurring work on aligned slots in the
// reporting time zone: the hourly incremental metric run, the daily alert
// evaluation with its early-warning report, and the Monday weekly report,
// each archived as HTML and announced on the configured webhooks.
//
// Every job takes its slot time as a parameter, so rerunning a slot
// rewrites the same files. The last completed slot per job is kept in the
// database (schedule_slots, shared by every replica, so a new leader does
// not repeat its predecessor's slots) and in a small state file; on start,
// and at every trigger, the slots missed since (up to a limit) are run,
// oldest first, and counted as missed. It must not render pages itself
// (package reports does) or serve HTTP.
package schedule
