"""GB/T 9704-2012 itself, shared by the writer and the checker (which never import each other).

``layout``: page, margins, grid, sizes in Word's units. ``fonts``: the font profiles and alternates.
``numbering``: 一、（一）1.（1） heading numbers. ``page_estimate``: where pages break on the 22 × 28 grid.
"""
