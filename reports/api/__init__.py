"""The reports app's API under /api/v1/ (routes: kcn_portal/api_router.py): reports (the §7 document, its
versions, builds, what a version restates, the catalogue), approval (a board's periods, data issues, reopen
requests, the ministry's acceptance), corrections; serializers of approval and corrections.
"""
