// Package leader elects one leader among the replicas of a process (the
// `serve` schedulers) through infrastructure the deployment already has:
// membership of a Kafka consumer group on the single-partition topic
// convintel.leader. The member the group assigns partition 0 is the
// leader; Kafka's group protocol guarantees one owner per partition and
// moves it when the owner leaves or stops heartbeating. It reads and
// writes no messages and must not be used to coordinate data (ingest has
// its own consumer group on the event topic).
package leader
