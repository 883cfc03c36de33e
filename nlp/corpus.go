package nlp

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The training data of the embedded models has two parts:
//
//   - what the repository may carry, embedded from nlp/train: hand-written
//     colloquial buyer messages (intent_train.csv, sentiment_train.csv), the
//     Bitext customer-support requests mapped onto the taxonomy
//     (bitext_intent.csv, CDLA-Sharing-1.0, notice in BITEXT_NOTICE.txt) and
//     the labels (not the text) of JDDC buyer turns (jddc_intent_labels.csv:
//     session, turn, label);
//   - what it may not (JDDC chat text, ChnSentiCorp, hotel and waimai
//     reviews), read from a data directory (DataDir, normally
//     ../shared/nlp-data; see its README for what each file is).
//
// Source records which file and which rows went into a model.

//go:embed train
var embeddedTrain embed.FS

// Files of the data directory.
const (
	FileJDDC             = "jddc_sample_chat.txt"
	FileChnSentiTrain    = "chnsenticorp_train.tsv"
	FileChnSentiDev      = "chnsenticorp_dev.tsv"
	FileHotel            = "chnsenticorp_htl_all.csv"
	FileWaimai           = "waimai_10k.csv"
	FileBitext           = "bitext_customer_support_en.csv"
	defaultDataDirEnvVar = "CONVINTEL_NLP_DATA"
)

// DefaultDataDir is where the public corpora are looked for when no
// directory is given: $CONVINTEL_NLP_DATA, else ../shared/nlp-data relative
// to the working directory (the layout of the development machines), else "".
func DefaultDataDir() string {
	if d := os.Getenv(defaultDataDirEnvVar); d != "" {
		return d
	}
	for _, d := range []string{"../shared/nlp-data", "../../shared/nlp-data", "../../../shared/nlp-data"} {
		if st, err := os.Stat(filepath.Join(d, FileJDDC)); err == nil && !st.IsDir() {
			abs, err := filepath.Abs(d)
			if err == nil {
				return abs
			}
		}
	}
	return ""
}

// Source is one input of a training or evaluation set, for the record
// (models carry the list; docs/nlp.md shows it).
type Source struct {
	Name   string `json:"name"`             // e.g. "jddc", "waimai", "hand-written"
	File   string `json:"file"`             // file name (no directory)
	SHA256 string `json:"sha256,omitempty"` // first 16 hex digits of the file's SHA-256
	Rows   int    `json:"rows"`             // examples taken from it
	Detail string `json:"detail,omitempty"` // which rows and how they were labelled
}

func (s Source) String() string {
	out := fmt.Sprintf("%s: %s, %d rows", s.Name, s.File, s.Rows)
	if s.SHA256 != "" {
		out += " (sha256 " + s.SHA256 + ")"
	}
	if s.Detail != "" {
		out += "; " + s.Detail
	}
	return out
}

// Corpus is a labelled set with its provenance.
type Corpus struct {
	Task     string
	Examples []Example
	Sources  []Source
}

// Add appends examples from one source.
func (c *Corpus) Add(src Source, ex []Example) {
	src.Rows = len(ex)
	c.Examples = append(c.Examples, ex...)
	c.Sources = append(c.Sources, src)
}

func fileDigest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

// readDataFile reads a data-directory file whole; the error says where the
// file was expected and how to point at it.
func readDataFile(dir, name string) ([]byte, error) {
	if dir == "" {
		return nil, fmt.Errorf("%s: no data directory (pass --data DIR or set %s to the folder holding the public corpora, e.g. ../shared/nlp-data)", name, defaultDataDirEnvVar)
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("%w (the data directory %s must hold the public corpora; see docs/nlp.md)", err, dir)
	}
	return b, nil
}

// Turn is one line of a JDDC chat: a buyer's or an agent's message.
type Turn struct {
	Session string
	Index   int // position within the session, from 0
	Agent   bool
	Text    string
}

// ReadJDDC parses a JDDC chat file: tab-separated session, user, is_agent
// (0 = buyer), -, -, sku, text; sessions are contiguous.
func ReadJDDC(r io.Reader) ([]Turn, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var out []Turn
	line, idx := 0, 0
	prev := ""
	for sc.Scan() {
		line++
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 7 {
			return nil, fmt.Errorf("jddc line %d: %d fields, want 7 (session, user, is_agent, -, -, sku, text)", line, len(f))
		}
		if f[0] != prev {
			idx, prev = 0, f[0]
		}
		out = append(out, Turn{Session: f[0], Index: idx, Agent: f[2] == "1", Text: strings.TrimSpace(strings.Join(f[6:], " "))})
		idx++
	}
	return out, sc.Err()
}

// jddcOrderRef: the turn pastes an order card or names an order number (the
// corpus masks the number itself as [订单x]).
func jddcOrderRef(text string) bool {
	return strings.Contains(text, "[订单x]") || strings.Contains(text, "订单号") || strings.Contains(text, "订单编号")
}

// JDDCLabel is the label of one buyer turn, keyed by session and turn index.
type JDDCLabel struct {
	Session string
	Index   int
	Label   string
}

// ReadJDDCLabels reads a CSV `session,turn,label`.
func ReadJDDCLabels(r io.Reader) ([]JDDCLabel, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 3
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("jddc labels: %w", err)
	}
	if len(recs) == 0 || recs[0][0] != "session" {
		return nil, errors.New("jddc labels: want a header session,turn,label")
	}
	out := make([]JDDCLabel, 0, len(recs)-1)
	for i, rec := range recs[1:] {
		n, err := strconv.Atoi(rec[1])
		if err != nil {
			return nil, fmt.Errorf("jddc labels: line %d: turn %q is not a number", i+2, rec[1])
		}
		out = append(out, JDDCLabel{rec[0], n, rec[2]})
	}
	return out, nil
}

// JDDCExamples joins labels with the turns they name and gives each the
// conversation context a live message would have: whether the session
// referenced an order up to and including that turn, and the agent's last
// reply before it. A label naming a missing or agent turn is an error (the
// chat file is not the one the labels were written for).
func JDDCExamples(turns []Turn, labels []JDDCLabel) ([]Example, error) {
	type key struct {
		s string
		i int
	}
	ctxs := make(map[key]Context, len(turns))
	texts := make(map[key]string, len(turns))
	var ctx Context
	prev := ""
	for _, t := range turns {
		if t.Session != prev {
			ctx, prev = Context{}, t.Session
		}
		if t.Agent {
			ctx.PrevReply = t.Text
			continue
		}
		if jddcOrderRef(t.Text) {
			ctx.OrderReferenced = true
		}
		ctxs[key{t.Session, t.Index}] = ctx
		texts[key{t.Session, t.Index}] = t.Text
	}
	out := make([]Example, 0, len(labels))
	for _, l := range labels {
		k := key{l.Session, l.Index}
		text, ok := texts[k]
		if !ok {
			return nil, fmt.Errorf("jddc labels: session %s turn %d is not a buyer turn of the chat file", l.Session, l.Index)
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		out = append(out, Example{Text: text, Label: l.Label, Context: ctxs[k]})
	}
	return out, nil
}

// readJDDCTurns reads the JDDC chat file of dir: its turns and its bytes
// (for the provenance digest).
func readJDDCTurns(dir string) ([]Turn, []byte, error) {
	b, err := readDataFile(dir, FileJDDC)
	if err != nil {
		return nil, nil, err
	}
	turns, err := ReadJDDC(bytes.NewReader(b))
	return turns, b, err
}

// loadJDDC reads the chat file of dir and the embedded label file name
// (under train/ or heldout/) and returns the labelled examples.
func loadJDDC(dir string, labels []byte, labelFile string) ([]Example, Source, error) {
	turns, b, err := readJDDCTurns(dir)
	if err != nil {
		return nil, Source{}, err
	}
	ls, err := ReadJDDCLabels(bytes.NewReader(labels))
	if err != nil {
		return nil, Source{}, fmt.Errorf("%s: %w", labelFile, err)
	}
	ex, err := JDDCExamples(turns, ls)
	if err != nil {
		return nil, Source{}, err
	}
	return ex, Source{Name: "jddc", File: FileJDDC, SHA256: fileDigest(b),
		Detail: "buyer turns named by " + labelFile + " (session, turn, label)"}, nil
}

// ReadReviewsTSV reads `text<TAB>positive|negative` lines (ChnSentiCorp).
func ReadReviewsTSV(r io.Reader) ([]Example, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var out []Example
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		i := strings.LastIndexByte(s, '\t')
		if i < 0 {
			return nil, fmt.Errorf("line %d: no tab", line)
		}
		label := strings.TrimSpace(s[i+1:])
		if label != "positive" && label != "negative" {
			if line == 1 {
				continue // a header
			}
			return nil, fmt.Errorf("line %d: label %q, want positive or negative", line, label)
		}
		if t := strings.TrimSpace(s[:i]); t != "" {
			out = append(out, Example{Text: t, Label: label})
		}
	}
	return out, sc.Err()
}

// ReadReviewsCSV reads a CSV `label,review` with label 1 (positive) or 0
// (negative), as SophonPlus publishes waimai_10k and ChnSentiCorp_htl_all.
func ReadReviewsCSV(r io.Reader) ([]Example, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	var out []Example
	for i, rec := range recs {
		if i == 0 && rec[0] == "label" {
			continue
		}
		if len(rec) < 2 {
			return nil, fmt.Errorf("line %d: want label,review", i+1)
		}
		label := map[string]string{"1": "positive", "0": "negative"}[strings.TrimSpace(rec[0])]
		if label == "" {
			return nil, fmt.Errorf("line %d: label %q, want 1 or 0", i+1, rec[0])
		}
		if t := strings.TrimSpace(strings.Join(rec[1:], ",")); t != "" {
			out = append(out, Example{Text: t, Label: label})
		}
	}
	return out, nil
}

// laptopWords mark a ChnSentiCorp review about a notebook computer (the JD
// laptop part); hotelWords and bookWords the other two domains. The corpus
// has no domain column, so the split is by these words (docs/nlp.md).
var (
	laptopWords = []string{"笔记本", "电脑", "键盘", "屏幕", "显卡", "硬盘", "内存", "散热", "驱动", "本本", "触摸板", "鼠标",
		"cpu", "xp", "vista", "win7", "风扇", "光驱", "摄像头", "分辨率", "装机", "预装", "联想", "戴尔", "惠普", "华硕", "宏碁",
		"神舟", "thinkpad", "东芝", "索尼", "上网本", "机器", "开机", "温度", "电池"}
	hotelWords = []string{"酒店", "房间", "入住", "前台", "宾馆", "早餐", "服务员", "住宿", "客房", "大堂"}
	bookWords  = []string{"这本书", "作者", "读者", "小说", "此书", "本书", "读完", "看完", "书中"}
)

// bookReviewWords mark a Dangdang book review of ChnSentiCorp, wider than
// bookWords (书 alone, 当当, 出版…) because no laptop review is taken for one.
var bookReviewWords = []string{"书", "作者", "当当", "小说", "读者", "阅读", "章节", "译", "出版", "故事", "读完", "看完"}

// IsBookReview reports whether a ChnSentiCorp review is one of its Dangdang
// book reviews: a book word and no hotel or computer word.
func IsBookReview(text string) bool {
	t := strings.ToLower(text)
	return containsAny(t, bookReviewWords) && !containsAny(t, hotelWords) && !containsAny(t, laptopWords)
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// IsLaptopReview reports whether a ChnSentiCorp review is one of its JD
// laptop reviews: a computer word and no hotel or book word.
func IsLaptopReview(text string) bool {
	t := strings.ToLower(text)
	return containsAny(t, laptopWords) && !containsAny(t, hotelWords) && !containsAny(t, bookWords)
}

// mentionsComputer: any computer word at all; such reviews stay out of the
// sentiment training set so that the laptop test set is truly cross-domain.
func mentionsComputer(text string) bool {
	return containsAny(strings.ToLower(text), laptopWords)
}

// readReviewFile reads one review corpus of dir by its file name.
func readReviewFile(dir, name string) ([]Example, Source, error) {
	b, err := readDataFile(dir, name)
	if err != nil {
		return nil, Source{}, err
	}
	var ex []Example
	if strings.HasSuffix(name, ".tsv") {
		ex, err = ReadReviewsTSV(bytes.NewReader(b))
	} else {
		ex, err = ReadReviewsCSV(bytes.NewReader(b))
	}
	if err != nil {
		return nil, Source{}, fmt.Errorf("%s: %w", name, err)
	}
	return ex, Source{Name: strings.TrimSuffix(strings.TrimSuffix(name, ".tsv"), ".csv"), File: name, SHA256: fileDigest(b)}, nil
}

// readEmbeddedLabels reads a `text,label` CSV embedded under train/ or
// heldout/.
func readEmbeddedLabels(fsys embed.FS, path string) ([]Example, Source, error) {
	b, err := fsys.ReadFile(path)
	if err != nil {
		return nil, Source{}, err
	}
	ex, err := ReadLabels(bytes.NewReader(b))
	if err != nil {
		return nil, Source{}, fmt.Errorf("%s: %w", path, err)
	}
	return ex, Source{Name: "repo", File: "nlp/" + path, SHA256: fileDigest(b)}, nil
}
