"""English word lists shared by the metrics. Frozensets so that membership tests stay O(1)."""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text`, as a frozenset."""
    return frozenset(text.split())


_words = word_set


STOPWORDS = _words(
    """
    a about above after again against ago all almost along already also although always am among an and another any
    anybody anyhow anyone anything anyway anywhere are aren't around as at away back be became because become becomes
    been before being below besides between beyond both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't done down during each either else enough especially etc even ever every everyone everything
    few first for from further get gets getting give go goes going gone got gotten had hadn't has hasn't have haven't
    having he he'd he'll he's her here here's hers herself him himself his how how's however i i'd i'll i'm i've if in
    instead into is isn't it it'd it'll it's its itself just kind last least less let let's like likely lot lots made
    make makes many may maybe me might mine more most mostly much must mustn't my myself need needs neither never new
    next no nobody none nor not nothing now of off often ok okay on once one ones only onto or other others otherwise
    our ours ourselves out over own per perhaps put quite rather re really right said same say says see seem seemed
    seems several shall shan't she she'd she'll she's should shouldn't since so some somebody someone something
    sometimes somewhat soon still such sure take than that that's the their theirs them themselves then there there's
    therefore these they they'd they'll they're they've thing things this those though through thus to together too
    toward towards under until up upon us use used uses using usually very via want wants was wasn't way we we'd we'll
    we're we've well were weren't what what's whatever when when's where where's whether which while who who's whoever
    whole whom whose why why's will with within without won't would wouldn't yeah yes yet you you'd you'll you're
    you've your yours yourself yourselves um uh oh hmm
    know think guess gotcha actually basically stuff pretty kinda sorta alright
    """
)

# Single words that open or link a sentence to the previous one (Yoast's transition-word check).
TRANSITION_WORDS = _words(
    """
    accordingly additionally afterward afterwards albeit also although altogether because besides but certainly
    consequently conversely correspondingly despite equally especially eventually evidently finally firstly
    furthermore generally hence henceforth however identically importantly indeed initially instead lastly later
    likewise meanwhile moreover namely nevertheless nonetheless notably notwithstanding obviously overall particularly
    previously secondly similarly simultaneously specifically subsequently surprisingly then thereafter therefore
    thirdly though thus ultimately undoubtedly unless unlike whereas while yet
    """
)

TRANSITION_PHRASES: tuple[str, ...] = (
    "above all",
    "after all",
    "all in all",
    "as a result",
    "as long as",
    "as soon as",
    "as well as",
    "at the same time",
    "because of",
    "by contrast",
    "due to",
    "even though",
    "first of all",
    "for example",
    "for instance",
    "in addition",
    "in any case",
    "in conclusion",
    "in contrast",
    "in fact",
    "in other words",
    "in particular",
    "in short",
    "in spite of",
    "in summary",
    "in the end",
    "in the meantime",
    "not only",
    "of course",
    "on the contrary",
    "on the other hand",
    "so that",
    "such as",
    "that is why",
    "to begin with",
    "to sum up",
    "to summarize",
)

# Forms of "to be" that build the passive voice.
# "get" passives are left out: "get started" would be flagged in nearly every marketing text.
PASSIVE_AUXILIARIES = _words("am is are was were be been being isn't aren't wasn't weren't")

# Words allowed between the auxiliary and the participle ("was quickly adopted", "is not used").
PASSIVE_INTERVENERS = _words("not also already always never often just still only rarely usually then being been")

IRREGULAR_PARTICIPLES = _words(
    """
    arisen awoken beaten become begun bent bet bid bitten bled blown borne born bought bound bred brought broken built
    burnt burst cast caught chosen clung come cost crept cut dealt done drawn dreamt driven drunk dug eaten fallen fed
    felt fought found fled flung flown forbidden forecast forgiven forgotten frozen given gone ground grown hidden held
    hit hung hurt kept knelt known laid led leant learnt left lent lit lost made meant met mistaken misunderstood
    overcome overseen overtaken overthrown paid proven put quit read rebuilt redone rewritten ridden risen run said
    sawn seen sent set sewn shaken shaven shed shone shot shown shrunk shut slain slept slid slit sold sought sown spent
    spilt split spoken spread sprung spun stolen struck stuck stung strewn striven sung sunk sworn swept swollen swum
    taken taught thought thrown told torn trodden understood undertaken undone upheld upset withdrawn withheld woken
    won worn wound woven written
    """
)

# Words ending in "-ed" that are not past participles.
NOT_PARTICIPLES = _words(
    """
    bed bleed breed embed exceed feed heed hundred indeed kindred naked need proceed red seed sled speed succeed
    wicked sacred ragged rugged weed wed
    """
)

# Words of three or more syllables that every reader knows (the Dale–Chall easy words of that length): like textstat,
# the Gunning Fog index does not count them as complex words.
FAMILIAR_POLYSYLLABLES = _words(
    """
    accident adventure afternoon afterward afterwards alligator already america american animal another anybody
    anyhow anyone anything anyway anywhere apartment arithmetic attention automobile avenue awaken baa bakery banana
    battleship beautiful beautify becoming beginning bicycle blackberry blueberry bookkeeper buffalo bumblebee
    buttercup butterfly buttermilk butterscotch buttonhole cabinet calendar campfire canary candlestick capital
    carelessness carpenter caterpillar cereal certainly champion cigarette citizen coconut company conductor cowardly
    cranberry customer dangerous december deposit desire difference different direction discover dressmaker electric
    electricity elephant eleven enemy engineer envelope eraser every everybody everyday everyone everything everywhere
    excited exciting factory family faraway favorite february finally firearm firecracker fireplace fisherman flowery
    following forgotten furniture gasoline general gentleman gentlemen geography gingerbread godmother good-looking
    gooseberry government grandchildren granddaughter grandfather grandmother grasshopper grocery gunpowder
    handkerchief handwriting happily happiness hickory history holiday honeybee honeymoon hospital however idea
    important impossible indian interested interesting ivory january jellyfish lemonade liberty library locomotive
    machinery magazine manager medicine multiply neighborhood nevermore newspaper nobody november october officer
    old-fashioned otherwise ourselves overalls overcoat overeat overhead overhear overnight overturn passenger
    peppermint piano pineapple pocketbook policeman possible potato potatoes powerful pussycat radio rapidly remember
    satisfactory saturday schoolmaster separate september settlement seventeen seventy shoemaker slippery somebody
    strawberry sunflower tablecloth tablespoon telephone terrible thanksgiving theater tobacco together tomato
    tomorrow tricycle umbrella understand underwear unfinished unfriendly unhappy uniform united unpleasant unwilling
    valentine valuable vegetable victory violet visitor watermelon waterproof whenever wonderful woodpecker yesterday
    """
)

# Abbreviations that end in a period without ending the sentence (lower-case, without the final period).
ABBREVIATIONS = _words(
    """
    mr mrs ms dr prof sr jr st mt ft vs e.g i.e cf approx dept eds inc ltd corp lt sgt capt gov pres jan feb apr
    jun jul aug sep sept oct nov dec al ave blvd a.m p.m u.s u.k u.n ph.d b.a m.a b.sc m.sc
    """
)

# Abbreviations that only count as such before a number ("No. 5", "Fig. 2", "p. 10"): "no." ends many sentences.
NUMBER_ABBREVIATIONS = _words("no nos fig figs vol vols p pp ch sec art eq")
