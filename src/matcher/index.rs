//! The matcher: the index it answers from, built once per knowledge load (the vocabulary with
//! its term weights, postings from terms to stored questions and to entries, spelling and
//! synonyms), and [`Matcher::decide`], which takes a question through the ranking, the rules
//! of `decide` with the scans by meaning, the clause reading, and the refusals of requests,
//! questions to the bot and answers that lack the kind asked.
//!
//! A term's weight is its BM25 inverse document frequency over entries: a word found in every
//! entry ("soldier") says little about which entry a question wants; a word found in one
//! ("sniper") says a lot. Words from an entry's questions, keywords and tags count fully toward
//! the entry; words only in its answer or excerpts count partly, so readers who use the
//! article's own words are still understood.

use std::borrow::Cow;
use std::cell::OnceCell;

use rustc_hash::FxHashMap as HashMap;

use super::analysis::{self, Analysis, FROM_QUESTION};
use super::answer_kind::Kind;
use super::meaning::{MeaningIndex, MeaningQuery};
use super::normalise::{self, WordStemmer};
use super::score::Scope;
use super::spelling::Spelling;
use super::synonyms::Synonyms;
use super::{
    Candidate, Decision, MatchingConfig, answer_kind, clauses, decide, requests, score, to_the_bot,
};
use crate::knowledge::Knowledge;

/// How many of the words' leading candidates the blend of words and meaning compares (an
/// answer's rivals are near the top: 4, 6 and 10 gave the same replies on every evaluation set).
const BLENDED_CANDIDATES: usize = 4;

/// One stored question, as the scorer sees it.
pub(crate) struct Doc {
    pub entry: u32,
    pub question: u32,
    /// Folded text, for whole-string similarity.
    pub plain: String,
}

/// A reader's question, analysed.
#[derive(Debug, Default)]
pub(crate) struct Query {
    /// Distinct known terms with their weights.
    pub terms: Vec<(u32, f32)>,
    /// Sum of all weights, unknown words included.
    pub total: f32,
    pub plain: String,
}

/// The matcher over one knowledge. Immutable once built; cheap to query from many threads.
pub struct Matcher {
    pub(crate) config: MatchingConfig,
    stemmer: WordStemmer,
    /// Stemming is a large share of analysing a question, so every word the spelling index
    /// knows (the same keys) is stemmed once at load. Its own map, not a column beside
    /// `Spelling`'s sorted words: every word of every question is looked up here, and a hash
    /// lookup is a few times cheaper than a binary search of the vocabulary.
    known_stems: HashMap<String, String>,
    pub(crate) spelling: Spelling,
    synonyms: Synonyms,
    pub(crate) terms: HashMap<String, u32>,
    pub(crate) idf: Vec<f32>,
    /// Terms that are numbers ("2"): they say how many, never what about.
    pub(crate) numeric: Vec<bool>,
    pub(crate) unknown_weight: f32,
    pub(crate) unknown_number_weight: f32,
    /// The weight a question's matched words must reach before its score counts in full.
    pub(crate) min_information: f32,
    pub(crate) question_postings: Vec<Vec<u32>>,
    /// Term -> the entries that ask about it (in a question, keyword or tag).
    pub(crate) asked_postings: Vec<Vec<u32>>,
    /// Every entry's terms with how much each counts toward it, sorted by term, flattened;
    /// entry `e` owns `profile_terms[profile_start[e]..profile_start[e + 1]]` and the same
    /// range of `profile_factors`. The terms apart from the factors: searching them for a
    /// question's words reads half the memory.
    pub(crate) profile_terms: Vec<u32>,
    pub(crate) profile_factors: Vec<f32>,
    pub(crate) profile_start: Vec<u32>,
    pub(crate) docs: Vec<Doc>,
    /// Each doc's entry (as in `docs`) and weight (the sum of its distinct terms' weights):
    /// the word scores read these for thousands of docs a question, and packed they stay in
    /// cache where whole `Doc`s would not.
    pub(crate) doc_fit: Vec<(u32, f32)>,
    /// For each entry, the index of its first doc.
    pub(crate) first_doc: Vec<u32>,
    /// How many of the indexed entries answer: `Knowledge::entries`. The rest, from this index
    /// on, are `Knowledge::not_in_article`, matched like entries but never answered with.
    pub(crate) answers: usize,
    /// The stored questions made of function words alone ("what can you do"), which no term
    /// reaches: their folded words spelled out (`normalise::spelled_out`), and their doc. A
    /// reader's question of function words alone is answered only by one of these, word for
    /// word.
    function_words: HashMap<String, u32>,
    /// Every stored question no term reaches (the function-word ones, and any of no words at
    /// all), as doc indices: embedded as nothing for the reading by meaning.
    wordless: Vec<u32>,
    /// Every stored question by meaning, when the knowledge has a meaning model.
    meaning: Option<MeaningIndex>,
    /// The not-in-the-article groups of requests to act ("write a poem", "send the photos"):
    /// at least a third of their questions are requests (`requests::is_request`). Indexed as
    /// entries are.
    request_groups: Vec<usize>,
    /// For each entry, whether it answers questions about the bot itself
    /// (`to_the_bot::answers_the_bot`): "where do your answers come from?", not "how old are
    /// you".
    answers_the_bot: Vec<bool>,
    /// For each entry, whether its answer gives each `Kind::ALL` (`answer_kind::gives`):
    /// only such an entry answers "how many...", "when...", "what colour...".
    answer_gives: Vec<answer_kind::Given>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("entries", &self.first_doc.len())
            .field("questions", &self.docs.len())
            .field("terms", &self.terms.len())
            .finish_non_exhaustive()
    }
}

impl Matcher {
    pub fn new(knowledge: &Knowledge, config: &MatchingConfig) -> Matcher {
        let stemmer = WordStemmer::default();
        let synonyms = Synonyms::stemmed(&knowledge.synonyms, &stemmer);
        let mut analysis = analysis::analyse(knowledge, &stemmer, &synonyms);
        // Words readers may type that the knowledge only has as synonyms or in the article:
        // known to the spelling index so they are never "corrected" into something else.
        for phrase in knowledge.synonyms.iter().flatten() {
            analysis.count_words(phrase);
        }
        for line in &knowledge.article.lines {
            analysis.count_words(line);
        }
        let Analysis {
            terms,
            entry_terms,
            doc_terms,
            docs,
            first_doc,
            frequency,
        } = analysis;

        // What the article does not answer counts as entries here: a word readers use for it
        // ("names") is as telling as one an entry asks about.
        let entries = entry_terms.len() as f32;
        // A word's weight comes from how many entries *ask* about it; words that only appear
        // in answers ("Zelensky said") would otherwise look common and weigh nothing.
        let mut asked_in = vec![0u32; terms.len()];
        let mut mentioned_in = vec![0u32; terms.len()];
        for profile in &entry_terms {
            for (id, factor) in profile {
                mentioned_in[*id as usize] += 1;
                if *factor >= FROM_QUESTION {
                    asked_in[*id as usize] += 1;
                }
            }
        }
        let max_idf = (1.0 + (entries + 0.5) / 1.5).ln().max(f32::EPSILON);
        let floor = config.weight_floor.clamp(0.0, 1.0);
        let idf: Vec<f32> = asked_in
            .iter()
            .zip(&mentioned_in)
            .map(|(&asked, &mentioned)| {
                let df = if asked > 0 { asked } else { mentioned } as f32;
                let idf = (1.0 + (entries - df + 0.5) / (df + 0.5)).ln();
                floor * max_idf + (1.0 - floor) * idf
            })
            .collect();

        let mut question_postings = vec![Vec::new(); terms.len()];
        let mut doc_fit = Vec::with_capacity(docs.len());
        for (doc_index, ids) in doc_terms.iter().enumerate() {
            let weight = ids.iter().map(|id| idf[*id as usize]).sum();
            doc_fit.push((docs[doc_index].entry, weight));
            for id in ids {
                question_postings[*id as usize].push(doc_index as u32);
            }
        }
        let mut asked_postings = vec![Vec::new(); terms.len()];
        let (mut profile_terms, mut profile_factors) = (Vec::new(), Vec::new());
        let mut profile_start = Vec::with_capacity(entry_terms.len() + 1);
        for (entry_index, terms_of_entry) in entry_terms.iter().enumerate() {
            profile_start.push(profile_terms.len() as u32);
            for &(id, factor) in terms_of_entry {
                if factor >= FROM_QUESTION {
                    asked_postings[id as usize].push(entry_index as u32);
                }
                profile_terms.push(id);
                profile_factors.push(factor);
            }
        }
        profile_start.push(profile_terms.len() as u32);

        let mut numeric = vec![false; terms.len()];
        for (term, &id) in &terms {
            numeric[id as usize] = term.chars().all(|c| c.is_ascii_digit());
        }
        let known_stems = (frequency.keys())
            .map(|word| (word.clone(), stemmer.stem(word)))
            .collect();
        // Stored questions the words' reading cannot see ("what can you do"), by their words
        // (none for a question with no words at all, which would stand for every emoji).
        let function_words = (docs.iter().zip(&doc_terms).enumerate())
            .filter(|(_, (doc, terms))| terms.is_empty() && !doc.plain.is_empty())
            .map(|(index, (doc, _))| (normalise::spelled_out(doc.plain.split(' ')), index as u32))
            .collect();
        let request_groups = (knowledge.not_in_article.iter().enumerate())
            .filter(|(_, group)| {
                let requests = (group.questions.iter())
                    .filter(|q| requests::is_request(q))
                    .count();
                requests > 0 && requests * 3 >= group.questions.len()
            })
            .map(|(index, _)| knowledge.entries.len() + index)
            .collect();
        let answer_gives = (knowledge.entries.iter())
            .map(|entry| answer_kind::Given::of(&entry.answer))
            .collect();
        let answers_the_bot = (0..knowledge.entries.len())
            .map(|entry| {
                let end = first_doc.get(entry + 1).map_or(docs.len(), |&d| d as usize);
                let stored = first_doc[entry] as usize..end;
                to_the_bot::answers_the_bot(docs[stored].iter().map(|doc| doc.plain.as_str()))
            })
            .collect();
        let wordless = (doc_terms.iter().enumerate())
            .filter(|(_, terms)| terms.is_empty())
            .map(|(index, _)| index as u32)
            .collect();
        let meaning = knowledge.meaning.clone().and_then(|model| {
            // A question of function words alone has no meaning of its own to compare (and
            // `tools/build_meaning.py` does not train on one): embedded as nothing, its
            // similarity to any question is 0, below every floor and the veto.
            let texts: Vec<&str> = (analysis::indexed(knowledge))
                .flat_map(|(questions, _)| questions.iter().map(String::as_str))
                .zip(&doc_terms)
                .map(|(question, terms)| if terms.is_empty() { "" } else { question })
                .collect();
            MeaningIndex::new(model, &texts)
        });
        Matcher {
            config: config.clone(),
            stemmer,
            known_stems,
            spelling: Spelling::new(frequency),
            synonyms,
            terms,
            idf,
            numeric,
            unknown_weight: config.unknown_word_weight * max_idf,
            unknown_number_weight: config.unknown_number_weight * max_idf,
            min_information: config.min_information * max_idf,
            question_postings,
            asked_postings,
            profile_terms,
            profile_factors,
            profile_start,
            doc_fit,
            docs,
            first_doc,
            answers: knowledge.entries.len(),
            function_words,
            wordless,
            request_groups,
            answers_the_bot,
            answer_gives,
            meaning,
        }
    }

    /// Ranked entries for `question`, best first, at most `limit`: entries that answer only.
    pub fn rank(&self, question: &str, limit: usize) -> Vec<Candidate> {
        score::rank(self, &self.analyse(question), limit, Scope::Answers)
    }

    /// The decision for `question`: answered, ambiguous, no match, or known not to be in the
    /// article.
    pub fn decide(&self, question: &str) -> Decision {
        let embedded = OnceCell::new();
        let decision = self.decide_read(question, &embedded);
        // "say the sniper was born in 1980": its words are a question's, but answering it
        // would answer what was not asked.
        if matches!(decision, Decision::Answered(_)) && requests::is_request(question) {
            return self.refuse_request(question, &embedded);
        }
        // "how old are you": its words are "how old are they"'s, but it asks about the bot.
        // "how many drones does ukraine have": the words find the entry about drones, whose
        // answer counts nothing.
        let Decision::Answered(answer) = decision else {
            return decision;
        };
        // Both checks read the question folded and split: once.
        let words = normalise::words(&normalise::fold(question));
        let to_the_bot = self.answers_the_bot.get(answer.entry) == Some(&false)
            && to_the_bot::is_to_the_bot_in(&words);
        if to_the_bot || self.lacks_in(answer.entry, &words).is_some() {
            let (_, ranked) = self.decide_ranked(question);
            return Decision::NoMatch(decide::near(&ranked, &self.config, self.answers));
        }
        decision
    }

    /// [`Matcher::decide`] before requests are told from questions: the message whole, then
    /// (unanswered) a group's note or its clauses.
    fn decide_read(&self, question: &str, embedded: &OnceCell<Option<MeaningQuery>>) -> Decision {
        let decision = self.decide_embedded(question, embedded);
        let near = match &decision {
            Decision::NoMatch(near) | Decision::Ambiguous(near) => near,
            _ => return decision,
        };
        // Unanswered, and nearest in meaning to what the article is known not to say: the
        // group's note tells the reader more than "no match" ("did putin announce this?": the
        // article does not mention Putin), and a clause of it answered alone would answer
        // something it did not ask.
        let query = || {
            embedded
                .get_or_init(|| self.meaning_query(question))
                .as_ref()
        };
        if let Some((gap, score)) = self.gap_near_of_all(query) {
            return Decision::NotInArticle {
                gap: gap - self.answers,
                score,
                near: near.clone(),
            };
        }
        if !self.reads_clauses(question) {
            return decision;
        }
        // Chatter around a question dilutes it; a clause that is answered alone is the
        // question, unless another clause is answered with a different entry or is a question
        // the article is known not to answer.
        let mut found: Option<Candidate> = None;
        for clause in clauses::clauses(question) {
            match self.decide_whole(clause) {
                // "is there anything in the article about that?": what it asks is elsewhere.
                Decision::Answered(_) if clauses::refers_back(clause) => return decision,
                Decision::Answered(candidate) => match found {
                    Some(earlier) if earlier.entry != candidate.entry => return decision,
                    Some(earlier) if earlier.score >= candidate.score => {}
                    _ => found = Some(candidate),
                },
                // A clause that asks what the article is known not to say is the question
                // ("i read one of them died, what was his name?"); chatter that merely
                // resembles a group ("hey so I just joined the channel,") is not.
                Decision::NotInArticle { .. } if clause.trim_end().ends_with('?') => {
                    return decision;
                }
                _ => {}
            }
        }
        found.map_or(decision, Decision::Answered)
    }

    /// A request the words answer with an entry: the note of the group of requests nearest it
    /// in meaning ("send the pic of the passport": the article has no photo files; "say the
    /// sniper was born in 1980": the article does not say that), else no match; the entries
    /// as suggestions either way.
    fn refuse_request(
        &self,
        question: &str,
        embedded: &OnceCell<Option<MeaningQuery>>,
    ) -> Decision {
        let (_, ranked) = self.decide_ranked(question);
        let near = decide::near(&ranked, &self.config, self.answers);
        // Only a group clearly nearest (by the veto's margin): a note about translation for
        // "post zelensky's instagram post here" would answer what was not asked either.
        let nearest_group = self.meaning.as_ref().and_then(|meaning| {
            let query = embedded
                .get_or_init(|| self.meaning_query(question))
                .as_ref()?;
            let mut groups: Vec<(usize, f32)> = (self.request_groups.iter())
                .filter_map(|&group| {
                    let (_, similarity) = meaning.best_among(query, self.docs_of(group), -1.0)?;
                    Some((group, similarity))
                })
                .collect();
            groups.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let runner_up = groups.get(1).map_or(f32::NEG_INFINITY, |g| g.1);
            groups
                .first()
                .filter(|(_, best)| best - runner_up > self.config.meaning_veto_margin)
                .copied()
        });
        match nearest_group {
            Some((group, score)) => Decision::NotInArticle {
                gap: group - self.answers,
                score,
                near,
            },
            None => Decision::NoMatch(near),
        }
    }

    /// [`Matcher::gap_near`] among all the not-in-the-article groups, for the question `query`
    /// embeds when needed; `None` when the veto is off (`meaning_veto` 1), whose measure this
    /// shares.
    fn gap_near_of_all<'q>(
        &self,
        query: impl FnOnce() -> Option<&'q MeaningQuery>,
    ) -> Option<(usize, f32)> {
        if self.config.meaning_veto >= 1.0 {
            return None;
        }
        let gaps: Vec<usize> = (self.answers..self.first_doc.len()).collect();
        self.gap_near(query()?, &gaps)
    }

    /// Whether a `question` the whole of which gets no answer is read clause by clause: it has
    /// at least `clause_words` words.
    fn reads_clauses(&self, question: &str) -> bool {
        self.config.clause_words > 0
            && question.split_whitespace().count() >= self.config.clause_words
    }

    /// [`Matcher::decide`] for the message as one piece.
    fn decide_whole(&self, question: &str) -> Decision {
        self.decide_embedded(question, &OnceCell::new())
    }

    /// [`Matcher::decide_whole`], keeping the question's embedding in `embedded` (made at most
    /// once, and only when the meaning is asked) for the caller to reuse.
    fn decide_embedded(
        &self,
        question: &str,
        embedded: &OnceCell<Option<MeaningQuery>>,
    ) -> Decision {
        let (decision, ranked) = self.decide_ranked(question);
        let query = || {
            embedded
                .get_or_init(|| self.meaning_query(question))
                .as_ref()
        };
        let decision = decide::veto(decision, &ranked, &self.config, self.answers, || {
            self.ranked_gap_near(&ranked, query)
        });
        let words = question.split_whitespace().count();
        let decision = decide::confirm(
            decision,
            &ranked,
            &self.config,
            self.answers,
            words,
            |entry, agreement| query().is_some_and(|q| self.agrees(q, entry, agreement)),
        );
        let decision = decide::past_requests(
            decision,
            &ranked,
            &self.config,
            self.answers,
            |group| self.request_groups.contains(&group),
            || !requests::is_request(question),
            |entry, agreement| query().is_some_and(|q| self.agrees(q, entry, agreement)),
        );
        decide::blend(decision, &ranked, &self.config, self.answers, |answer| {
            self.blended_rival(query()?, &ranked, answer)
        })
    }

    /// Among the words' first [`BLENDED_CANDIDATES`] candidates, the one that comes before
    /// `answer` when each is scored `(1 - b) × words + b × meaning` (`b` = `meaning_blend`,
    /// meaning: the cosine of its stored question nearest `query`), the first such by that
    /// blended score; `None` when the answer stays first. Only a rival's stored questions that
    /// could reach the answer's blended score are compared in full.
    fn blended_rival(
        &self,
        query: &MeaningQuery,
        ranked: &[Candidate],
        answer: &Candidate,
    ) -> Option<Candidate> {
        let meaning = self.meaning.as_ref()?;
        let blend = self.config.meaning_blend;
        let blended = |words: f32, cosine: f32| (1.0 - blend) * words + blend * cosine;
        let (_, own) = meaning.best_among(query, self.docs_of(answer.entry), -1.0)?;
        let mut bar = blended(answer.score, own);
        let mut rival = None;
        for candidate in ranked.iter().take(BLENDED_CANDIDATES) {
            if candidate.entry == answer.entry {
                continue;
            }
            // The cosine the candidate needs to come first (a tie keeps the answer).
            let needed = (bar - (1.0 - blend) * candidate.score) / blend;
            if needed > 1.0 {
                continue;
            }
            let reached = meaning.best_among(query, self.docs_of(candidate.entry), needed);
            if let Some((_, cosine)) = reached.filter(|&(_, cosine)| cosine > needed) {
                bar = blended(candidate.score, cosine);
                rival = Some(*candidate);
            }
        }
        rival
    }

    /// [`Matcher::decide`] by the words alone, without the reading by meaning, for the message
    /// as one piece (no clause reading). `citebot check`
    /// asks each stored question this way: by meaning, a stored question is always nearest to
    /// itself, so the second reading would settle every close call in its favour.
    pub fn decide_by_words(&self, question: &str) -> Decision {
        self.decide_ranked(question).0
    }

    fn decide_ranked(&self, question: &str) -> (Decision, Vec<Candidate>) {
        // Room for a few `not_in_article` candidates above the entries worth suggesting.
        let limit = self.config.suggestions.max(3) + 3;
        let query = self.analyse(question);
        let ranked = match self.said_in_function_words(&query) {
            Some(candidate) => vec![candidate],
            None => score::rank(self, &query, limit, Scope::Everything),
        };
        (decide::decide(&ranked, &self.config, self.answers), ranked)
    }

    /// The stored question a reader's question of function words alone repeats word for word
    /// (any other such question has nothing the words can match).
    fn said_in_function_words(&self, query: &Query) -> Option<Candidate> {
        if !query.terms.is_empty() || query.total > 0.0 {
            return None;
        }
        let key = normalise::spelled_out(query.plain.split(' '));
        let doc = &self.docs[*self.function_words.get(&key)? as usize];
        Some(Candidate {
            entry: doc.entry as usize,
            question: doc.question as usize,
            score: 1.0,
        })
    }

    /// The stored questions no term reaches ("what can you do"), as (indexed entry, question
    /// index): the reading by meaning has nothing of them, and `tools/build_meaning.py` must
    /// leave the same ones out of the model's tuning.
    pub fn wordless_questions(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (self.wordless.iter()).map(|&doc| {
            let doc = &self.docs[doc as usize];
            (doc.entry as usize, doc.question as usize)
        })
    }

    /// Whether questions get the reading by meaning: a model was loaded and indexed, and the
    /// floors or the veto leave it something to do.
    pub fn reads_meaning(&self) -> bool {
        self.meaning.is_some()
            && (self.config.meaning_floor < 1.0
                || self.config.meaning_floor_long < 1.0
                || self.config.meaning_veto < 1.0
                || self.config.meaning_overrule < 1.0
                || self.config.meaning_blend > 0.0)
    }

    /// `question` as the reading by meaning embeds it: with the misspelt words the words'
    /// reading repairs ("caputred") spelt as the knowledge spells them, since the model's word
    /// pieces for a typo carry little of the word's meaning.
    fn meaning_text<'q>(&self, question: &'q str) -> Cow<'q, str> {
        let mut text = String::new();
        let mut repaired = false;
        for (at, token) in question.split_whitespace().enumerate() {
            if at > 0 {
                text.push(' ');
            }
            // Only a plain word: "they're" or "9/11" are read by the model's own pieces.
            let not_alphanumeric = |c: char| !c.is_alphanumeric();
            let core = token.trim_matches(not_alphanumeric);
            let fixed = if core.chars().all(char::is_alphabetic) {
                match normalise::words(&normalise::fold(core)).as_slice() {
                    // As the words' reading: function words ("gimme") are never repaired.
                    [word] if !normalise::is_stop_word(word) => self.repair(word),
                    _ => None,
                }
            } else {
                None
            };
            match fixed {
                Some(fixed) => {
                    repaired = true;
                    let start = token.len() - token.trim_start_matches(not_alphanumeric).len();
                    text.push_str(&token[..start]);
                    text.push_str(fixed);
                    text.push_str(&token[start + core.len()..]);
                }
                None => text.push_str(token),
            }
        }
        if repaired {
            Cow::Owned(text)
        } else {
            Cow::Borrowed(question)
        }
    }

    /// The knowledge's spelling of `word` when the words' reading takes it for a misspelling
    /// or an abbreviation of it; `None` for a word it knows or cannot place.
    fn repair(&self, word: &str) -> Option<&str> {
        // A word the model knows whole it reads better as typed ("channel"), whatever the
        // words' reading makes of it.
        if self.known_stems.contains_key(word) || self.model_knows_word(word) != Some(false) {
            return None;
        }
        self.misspelt(word, &self.stemmer.stem(word))
    }

    /// `question` embedded for the scans by meaning (see [`Matcher::meaning_text`]).
    fn meaning_query(&self, question: &str) -> Option<MeaningQuery> {
        self.meaning.as_ref()?.query(&self.meaning_text(question))
    }

    /// The stored question (doc index) nearest `question` in meaning, comparing every one.
    fn nearest_doc_in_meaning(&self, question: &str) -> Option<(usize, f32)> {
        self.meaning.as_ref()?.nearest(&self.meaning_text(question))
    }

    /// The entry (indexed as in `rank`) whose stored question is nearest `question` in
    /// meaning, with its cosine similarity, by comparing every stored question; `None` without
    /// a meaning model.
    pub fn nearest_in_meaning(&self, question: &str) -> Option<(usize, f32)> {
        let (doc, similarity) = self.nearest_doc_in_meaning(question)?;
        Some((self.docs[doc].entry as usize, similarity))
    }

    /// Which of `gaps` (indexed entries from `Knowledge::entries.len()` on: the
    /// `not_in_article` groups) has the stored question nearest `question` in meaning, with its
    /// similarity, when it is at least `meaning_veto` alike and more than `meaning_veto_margin`
    /// nearer than every stored question of any other entry or group. `None` when none does, or
    /// without a meaning model, or when the question has no word piece the model knows.
    pub fn gap_in_meaning(&self, question: &str, gaps: &[usize]) -> Option<(usize, f32)> {
        let query = self.meaning_query(question)?;
        self.gap_near(&query, gaps)
    }

    /// The veto's verdict for a question the words answered with `ranked`: only a group the
    /// words rank too can withdraw the answer (both readings see it; measured against letting
    /// any group veto: one more right answer on one evaluation set, one more wrong answer on
    /// another, and no scan of every group's questions for every answer). `query` embeds the
    /// question when needed.
    fn ranked_gap_near<'q>(
        &self,
        ranked: &[Candidate],
        query: impl FnOnce() -> Option<&'q MeaningQuery>,
    ) -> Option<(usize, f32)> {
        let gaps: Vec<usize> = ranked
            .iter()
            .map(|c| c.entry)
            .filter(|&e| e >= self.answers)
            .collect();
        if gaps.is_empty() {
            return None;
        }
        self.gap_near(query()?, &gaps)
    }

    /// [`Matcher::gap_in_meaning`] for a question already embedded. The groups' questions are
    /// scanned first, with bounds that rule out all but those at least `meaning_veto` alike,
    /// and only when one is found is everything else scanned for a rival (the answered entry
    /// among them).
    fn gap_near(&self, query: &MeaningQuery, gaps: &[usize]) -> Option<(usize, f32)> {
        let meaning = self.meaning.as_ref()?;
        let (veto, margin) = (self.config.meaning_veto, self.config.meaning_veto_margin);
        let (doc, similarity) = gaps
            .iter()
            .filter(|&&gap| gap >= self.answers && gap < self.first_doc.len())
            .filter_map(|&gap| meaning.best_among(query, self.docs_of(gap), veto))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
        let gap = self.docs[doc].entry as usize;
        // Nearest of all, by more than the margin: nothing of another entry or group comes
        // that close.
        let own = self.docs_of(gap);
        let floor = similarity - margin;
        let rival = meaning.reaches(query, 0..own.start, floor)
            || meaning.reaches(query, own.end..self.docs.len(), floor);
        (!rival).then_some((gap, similarity))
    }

    /// The doc indices of the indexed entry `entry`'s stored questions.
    fn docs_of(&self, entry: usize) -> std::ops::Range<usize> {
        let start = self.first_doc[entry] as usize;
        let end = self
            .first_doc
            .get(entry + 1)
            .map_or(self.docs.len(), |&d| d as usize);
        start..end
    }

    /// Whether the stored question nearest `question` in meaning belongs to `entry` and is at
    /// least `agreement` alike (false without a meaning model).
    pub fn agrees_in_meaning(&self, question: &str, entry: usize, agreement: f32) -> bool {
        self.meaning_query(question)
            .is_some_and(|query| self.agrees(&query, entry, agreement))
    }

    /// [`Matcher::agrees_in_meaning`] for a question already embedded.
    fn agrees(&self, query: &MeaningQuery, entry: usize, agreement: f32) -> bool {
        self.meaning
            .as_ref()
            .is_some_and(|m| m.agrees(query, self.docs_of(entry), agreement))
    }

    /// The kind of answer `question` asks for (a count, a time, a side...) when `entry`'s
    /// answer does not give it.
    pub(crate) fn lacks(&self, entry: usize, question: &str) -> Option<Kind> {
        self.answer_gives.get(entry)?.lacks(question)
    }

    /// [`Matcher::lacks`] for a question already folded and split (`normalise::words`).
    fn lacks_in(&self, entry: usize, words: &[String]) -> Option<Kind> {
        self.answer_gives.get(entry)?.lacks_in(words)
    }

    /// Whether the indexed entry `entry` is one of `Knowledge::entries` (not a
    /// `not_in_article`).
    pub(crate) fn answers_with(&self, entry: usize) -> bool {
        entry < self.answers
    }

    /// How `question` was read and scored: for curators wondering why an answer won.
    pub fn explain(&self, question: &str, knowledge: &Knowledge) -> String {
        use std::fmt::Write;
        let query = self.analyse(question);
        let names: HashMap<u32, &str> = self.terms.iter().map(|(k, v)| (*v, k.as_str())).collect();
        let mut out = String::new();
        let _ = write!(out, "terms:");
        for (id, weight) in &query.terms {
            let _ = write!(
                out,
                " {}={weight:.2}",
                names.get(id).copied().unwrap_or("?")
            );
        }
        let known: f32 = query.terms.iter().map(|(_, w)| w).sum();
        let _ = writeln!(out, "  unknown weight={:.2}", query.total - known);
        let named = |entry: usize| match knowledge.entries.get(entry) {
            Some(entry) => Some((entry.id.clone(), &entry.questions)),
            None => knowledge
                .not_in_article
                .get(entry - self.answers)
                .map(|gap| (format!("(not in article) {}", gap.id), &gap.questions)),
        };
        for (candidate, parts) in score::rank_explained(self, &query, 5, Scope::Everything) {
            let Some((id, questions)) = named(candidate.entry) else {
                continue;
            };
            let _ = writeln!(
                out,
                "  {:.3} {:<22} overlap {:.2} coverage {:.2} damping {:.2} similarity {:.2}  via {:?}",
                candidate.score,
                id,
                parts.best_overlap,
                parts.coverage,
                parts.damping,
                parts.similarity,
                questions
                    .get(candidate.question)
                    .map(String::as_str)
                    .unwrap_or("")
            );
        }
        if let Some((doc, similarity)) = self.nearest_doc_in_meaning(question)
            && let Some((id, questions)) = named(self.docs[doc].entry as usize)
        {
            let via = questions.get(self.docs[doc].question as usize);
            let _ = writeln!(
                out,
                "  meaning: nearest {id} ({similarity:.2}) via {:?}",
                via.map(String::as_str).unwrap_or("")
            );
        }
        let (decision, ranked) = self.decide_ranked(question);
        if matches!(decision, Decision::Answered(_)) {
            let query = self.meaning_query(question);
            let vetoed = decide::veto(decision, &ranked, &self.config, self.answers, || {
                self.ranked_gap_near(&ranked, || query.as_ref())
            });
            if let Decision::NotInArticle {
                gap,
                score: similarity,
                ..
            } = vetoed
                && let Some((id, _)) = named(self.answers + gap)
            {
                let _ = writeln!(
                    out,
                    "  meaning: nearest {id} ({similarity:.2}) by the margin: the words' answer \
                     is withdrawn"
                );
            }
        }
        let whole = self.decide_whole(question);
        let read = self.decide_read(question, &OnceCell::new());
        if matches!(read, Decision::Answered(_)) && requests::is_request(question) {
            let _ = writeln!(
                out,
                "  a request to act (\"say...\", \"send...\"), not a question: never answered"
            );
        } else if let Decision::Answered(answer) = read
            && self.answers_the_bot.get(answer.entry) == Some(&false)
            && to_the_bot::is_to_the_bot(question)
        {
            let _ = writeln!(
                out,
                "  a question about the bot itself (\"how old are you\"): not answered with the \
                 article's facts"
            );
        } else if let Decision::Answered(answer) = read
            && let Some(kind) = self.lacks(answer.entry, question)
        {
            let _ = writeln!(
                out,
                "  {}: not answered with it",
                kind.lacking().replace("its answer", "the answer")
            );
        }
        let unanswered = matches!(whole, Decision::NoMatch(_) | Decision::Ambiguous(_));
        let query = self.meaning_query(question);
        let gap = unanswered
            .then(|| self.gap_near_of_all(|| query.as_ref()))
            .flatten();
        if let Some((gap, similarity)) = gap
            && let Some((id, _)) = named(gap)
        {
            let _ = writeln!(
                out,
                "  meaning: unanswered, and nearest {id} ({similarity:.2}) by the margin: its \
                 note is the reply"
            );
        } else if unanswered && self.reads_clauses(question) {
            for clause in clauses::clauses(question) {
                let verdict = match self.decide_whole(clause) {
                    Decision::Answered(candidate) => {
                        named(candidate.entry).map_or_else(String::new, |(id, _)| {
                            if clauses::refers_back(clause) {
                                format!("answered by {id} alone, but it points at another clause")
                            } else {
                                format!("answered by {id}")
                            }
                        })
                    }
                    Decision::NotInArticle { gap, .. } => named(self.answers + gap)
                        .map_or_else(String::new, |(id, _)| format!("refused: {id}")),
                    _ => "no answer".to_string(),
                };
                let _ = writeln!(out, "  clause {clause:?}: {verdict}");
            }
        }
        out
    }

    /// Stored questions that fit a partly typed question, best first (for autocomplete).
    pub fn complete(&self, partial: &str, limit: usize) -> Vec<Candidate> {
        score::complete(self, partial, limit)
    }

    /// How many stored questions the index holds.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// `word`'s stem: the one stemmed at load for a word of the knowledge.
    pub(crate) fn stem(&self, word: &str) -> Cow<'_, str> {
        match self.known_stems.get(word) {
            Some(stem) => Cow::Borrowed(stem),
            None => Cow::Owned(self.stemmer.stem(word)),
        }
    }

    /// How much `term` counts toward `entry` (0 when the entry never uses it).
    pub(crate) fn factor(&self, entry: u32, term: u32) -> f32 {
        let start = self.profile_start[entry as usize] as usize;
        let end = self.profile_start[entry as usize + 1] as usize;
        match self.profile_terms[start..end].binary_search(&term) {
            Ok(at) => self.profile_factors[start + at],
            Err(_) => 0.0,
        }
    }

    /// The term id of a stem, after synonyms.
    pub(crate) fn term(&self, stem: &str) -> Option<u32> {
        self.terms.get(stem).copied()
    }

    /// Reads a reader's question: known words as terms, misspellings repaired, the rest unknown.
    pub(crate) fn analyse(&self, question: &str) -> Query {
        let mut stems = Vec::new();
        let mut unknown = 0.0f32;
        let words = normalise::words(&normalise::fold(question));
        let plain = words.join(" ");
        for word in normalise::content(words) {
            match self.recognise(&word) {
                Some(stem) => stems.push(stem),
                None if word.chars().all(|c| c.is_ascii_digit()) => {
                    unknown += self.unknown_number_weight;
                }
                None => unknown += self.unknown_weight,
            }
        }
        let mut terms: Vec<(u32, f32)> = Vec::new();
        for stem in self.synonyms.rewrite(&stems) {
            match self.term(stem) {
                Some(id) if !terms.iter().any(|(t, _)| *t == id) => {
                    terms.push((id, self.idf[id as usize]));
                }
                Some(_) => {}
                // In the article but in no entry: the knowledge cannot answer about it.
                None => unknown += self.unknown_weight,
            }
        }
        let known: f32 = terms.iter().map(|(_, w)| w).sum();
        Query {
            terms,
            total: known + unknown,
            plain,
        }
    }

    /// The stem a reader's word stands for, if the knowledge knows it (after typo repair).
    fn recognise(&self, word: &str) -> Option<Cow<'_, str>> {
        // A word the spelling index knows has its stem here; any other word is unknown to it.
        if let Some(stem) = self.known_stems.get(word) {
            return Some(Cow::Borrowed(stem));
        }
        let stem = self.stemmer.stem(word);
        match self.misspelt(word, &stem) {
            Some(meant) => Some(self.stem(meant)),
            None => self.terms.contains_key(&stem).then_some(Cow::Owned(stem)),
        }
    }

    /// The knowledge's word that `word`, which the knowledge does not have, misspells or
    /// abbreviates, if the words' reading takes it for one; `stem` is its own stem.
    fn misspelt(&self, word: &str, stem: &str) -> Option<&str> {
        if self.terms.contains_key(stem) {
            // "soliders" stems to "solid": a word the meaning model's English vocabulary lacks
            // is taken for a misspelling first; one it has is read as itself.
            return match self.model_knows_word(word) {
                Some(false) => self.spelling.correct(word),
                _ => None,
            };
        }
        (self.spelling.correct(word)).or_else(|| self.spelling.expand_abbreviation(stem))
    }

    /// Whether the meaning model's vocabulary has `word` whole, or without a plural "s"
    /// ("russias" is "russia's", folded); `None` without a model or its vocabulary.
    fn model_knows_word(&self, word: &str) -> Option<bool> {
        let model = self.meaning.as_ref()?.model();
        let singular = word.strip_suffix('s').filter(|w| !w.is_empty());
        Some(model.knows_word(word)? || singular.is_some_and(|w| model.knows_word(w) == Some(true)))
    }
}
