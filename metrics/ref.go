package metrics

import "crypto/sha256"

// ConversationRef is the short reference ("#K7Q2MX") by which the QA page,
// the digest and a qa_violation alert's stored action name a conversation:
// six Crockford base-32 characters of a SHA-256 of the shop and the
// conversation id, the same on every page, day and language. The id
// itself is the chat platform's and is not shown: the
// demo's read conv-20261111-49946 (the simulator's seed, an artifact to a
// supervisor), and a platform's ids can carry the buyer's account name.
// A supervisor finds the chat in the platform by the shop, agent and time
// beside the reference.
func ConversationRef(shop, conversation string) string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ" // no I, L, O, U
	sum := sha256.Sum256([]byte(shop + "\x00" + conversation))
	var bits uint64
	for _, b := range sum[:5] {
		bits = bits<<8 | uint64(b)
	}
	ref := make([]byte, 1, 7)
	ref[0] = '#'
	for i := 0; i < 6; i++ { // the first 30 of the 40 bits
		ref = append(ref, alphabet[bits>>(35-5*i)&31])
	}
	return string(ref)
}
