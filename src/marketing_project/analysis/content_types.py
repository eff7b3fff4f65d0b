"""What each content type is expected to look like: the thresholds and which checks apply."""

from __future__ import annotations

from dataclasses import dataclass

BLOG_POST = "blog_post"
TRANSCRIPT = "transcript"
RELEASE_NOTES = "release_notes"
CONTENT_TYPES = (BLOG_POST, TRANSCRIPT, RELEASE_NOTES)


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    good_words: int  # text length rated good from here
    ok_words: int  # and ok from here
    pipeline_min_words: int  # below this the content is not handed to the content pipeline
    subheadings: bool  # long texts are expected to be split by subheadings
    links: bool  # internal and outbound links are expected
    transitions: bool  # flowing prose, where transition words matter
    paragraphs: bool  # paragraphs are authored (not speaker turns or list items)


PROFILES: dict[str, Profile] = {
    BLOG_POST: Profile(BLOG_POST, 300, 250, 150, subheadings=True, links=True, transitions=True, paragraphs=True),
    TRANSCRIPT: Profile(TRANSCRIPT, 300, 150, 100, subheadings=False, links=False, transitions=True, paragraphs=False),
    RELEASE_NOTES: Profile(
        RELEASE_NOTES, 100, 50, 20, subheadings=True, links=False, transitions=False, paragraphs=True
    ),
}
