// Package nlp enriches customer-service chat messages before they are
// stored: PII masking, Traditional→Simplified conversion, Chinese/English
// segmentation, intent classification (with conversation context),
// product-attribute topics, sentiment and a normalised question signature.
//
// Everything the default Model needs (segmentation dictionary, trained
// intent and sentiment weights, topic dictionary, sentiment lexicon, OpenCC
// tables) is embedded in the binary; nothing is read from disk or the
// network unless Load is given a model directory or a topics file. The
// package owns text understanding only: it must not know about Kafka,
// ClickHouse or metrics.
//
// # Analysis
//
//	m, _ := nlp.Default()
//	a := m.Analyze(text, upstreamIntent, conf)                    // message read alone
//	a = m.AnalyzeInContext(text, nlp.Context{OrderReferenced: true,
//		PrevReply: "请问还有其他问题吗"}, "", 0)                      // message of a conversation
//
// # Training and evaluation (used by `convintel nlp train|eval` and by the
// labelling loop)
//
//	c, _ := nlp.BaseCorpus(nlp.TaskIntent, dataDir) // built-in data (+ public corpora in dataDir)
//	c.Add(nlp.Source{Name: "shop", File: "labels.csv"}, shopExamples)
//	cl, _ := nlp.TrainCorpus(c, nlp.TrainOptions{}) // deterministic; cl.Sources = provenance
//	_ = cl.Save(dir)                                // dir/intent.model (format v2, gzip)
//	m, _ = nlp.Load(dir, "")                        // embedded model with dir's classifiers
//	sets := nlp.HeldOutSets("", dataDir)            // built-in held-out sets (never trained on)
//	evs, scores := nlp.EvaluateSets(m, sets)        // *Evaluation per set, Scores by "task/name"
//	rec, _ := nlp.RecordedScores()                  // the embedded models' recorded figures
//	ev := nlp.Evaluate(cl, examples)                // accuracy, macro-F1, per-label, confusion
//	ev.Format(os.Stdout)
//
// Train(task, examples, opts) is the bare trainer under TrainCorpus.
// The intent model also reads intent cues (dict/intent_cues.txt: phrases
// that point at an intent, one shared feature per intent); model choices are
// made on a development split of the JDDC training sessions
// (TestDevExperiment, CONVINTEL_NLP_EXPERIMENT=intent|sentiment|both), never
// on the held-out sets.
// Example.Context carries the conversation context of a labelled message.
// See docs/nlp.md for the data, the held-out sets and the figures.
package nlp

//go:generate go run ./cmd/trainmodels -out models -dev testdata
