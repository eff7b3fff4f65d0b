"""Small sample documents for the analysis tests (CI has no access to the shared corpus)."""

from __future__ import annotations

import pytest

BLOG_POST = """# Email Marketing Automation for Small Teams

Email marketing automation helps small teams send the right message at the right time. In this guide, you will
learn how to plan your first campaigns and measure what works.

## Why automation matters

Manual campaigns take hours every week. However, automated sequences run on their own once you set them up. As a
result, your team can focus on strategy instead of repetitive tasks. Customers also get faster, more relevant replies.

## How to get started

1. Define one clear goal for each campaign.
2. Segment your audience by behaviour.
3. Write a short welcome sequence.

Read our [pricing page](/pricing) and the [research by Litmus](https://www.litmus.com/blog/email-stats) for more
numbers. Teams that automate their emails report 30% more clicks on average.

![Dashboard of an email campaign](/img/dashboard.png)

## Conclusion

Email marketing automation saves time and improves results. Start small, measure every step, and grow from there.
Ready to try it? Sign up for a free trial today.
"""

TRANSCRIPT = """# Marketing Podcast, Episode 12

**Speakers:** Sarah Johnson (Host), Mike Chen (Guest)
**Duration:** 10:00

**Sarah Johnson:** Welcome to the show. Today we talk about, um, how teams use AI in marketing.

**Mike Chen:** Thanks for having me. So, you know, the biggest change is speed. Teams can test ideas in hours.

**Sarah Johnson:** What about quality?

**Mike Chen:** Uh, quality still needs people. I mean, the tools draft and the people decide. It was, like, a big
shift for our team last year.
"""

RELEASE_NOTES = """# Release 2.4.0

Released 2024-03-01.

## New features

- Add dark mode to the dashboard
- New export to CSV

## Bug fixes

- Fix login loop on Safari
- Fixed a crash when the report is empty

## Breaking changes

- The `v1` API is no longer supported. See the migration guide to upgrade.
"""


@pytest.fixture
def blog_post_text() -> str:
    return BLOG_POST


@pytest.fixture
def transcript_text() -> str:
    return TRANSCRIPT


@pytest.fixture
def release_notes_text() -> str:
    return RELEASE_NOTES
