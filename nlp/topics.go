package nlp

import (
	_ "embed"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed dict/topics.yaml
var defaultTopicsYAML []byte

// topicDict maps synonyms to topics. Topic ids follow the sorted topic
// names, so collecting ids in order yields sorted topic lists.
type topicDict struct {
	names []string
	trie  *phraseTrie
	sets  [][]int16 // trie value -> topic ids
}

func parseTopics(r io.Reader) (map[string][]string, error) {
	var m map[string][]string
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil && err != io.EOF {
		return nil, err
	}
	for topic, syns := range m {
		if strings.TrimSpace(topic) == "" {
			return nil, fmt.Errorf("empty topic name")
		}
		for _, s := range syns {
			if strings.TrimSpace(s) == "" {
				return nil, fmt.Errorf("topic %q: empty synonym", topic)
			}
		}
	}
	return m, nil
}

func loadTopicsFile(path string) (map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := parseTopics(f)
	if err != nil {
		return nil, fmt.Errorf("topics file %s: %w", path, err)
	}
	return m, nil
}

// newTopicDict merges the topic maps (later ones add synonyms and topics).
func newTopicDict(maps ...map[string][]string) *topicDict {
	merged := map[string][]string{}
	for _, m := range maps {
		for t, syns := range m {
			t = strings.TrimSpace(t)
			merged[t] = append(merged[t], syns...)
		}
	}
	td := &topicDict{trie: newPhraseTrie()}
	for t := range merged {
		td.names = append(td.names, t)
	}
	slices.Sort(td.names)
	index := map[string]int32{}
	for id, t := range td.names {
		for _, s := range merged[t] {
			p := strings.TrimSpace(string(normalize(nil, s)))
			v, ok := index[p]
			if !ok {
				v = int32(len(td.sets))
				index[p] = v
				td.sets = append(td.sets, nil)
				td.trie.add(p, v)
			}
			if !slices.Contains(td.sets[v], int16(id)) {
				td.sets[v] = append(td.sets[v], int16(id))
			}
		}
	}
	return td
}

// synonyms returns every synonym, for the segmenter dictionary.
func (td *topicDict) synonyms(m map[string][]string) []string {
	var out []string
	for _, syns := range m {
		out = append(out, syns...)
	}
	return out
}

// find returns the sorted, unique topics mentioned in norm (nil if none).
// any reports whether norm names any topic.
func (td *topicDict) any(norm string) bool {
	hit := false
	td.trie.scan(norm, func(int32, int, int) { hit = true })
	return hit
}

func (td *topicDict) find(norm string, seen []bool) []string {
	clear(seen)
	any := false
	td.trie.scan(norm, func(v int32, _, _ int) {
		for _, id := range td.sets[v] {
			seen[id] = true
			any = true
		}
	})
	if !any {
		return nil
	}
	var out []string
	for id, ok := range seen {
		if ok {
			out = append(out, td.names[id])
		}
	}
	return out
}
