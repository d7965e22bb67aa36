"""The app's one route table: every URL, the method it answers and the view (a module-level function
of :mod:`plangen.web.views`) that handles it. Routes take only plan type names and ids, never a path."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from plangen.web.core import HERE
from plangen.web.views import batch, check, drafts, fix, history, learn, office

POST = ["POST"]

ROUTES: list[BaseRoute] = [
    Route("/", drafts.home),
    Route("/new/{name}", drafts.new_draft_page),
    Route("/new/{name}", drafts.new_draft, methods=POST),
    Route("/draft/{id}", drafts.show_draft),
    Route("/draft/{id}", drafts.save_draft, methods=POST),
    Route("/draft/{id}/plan.docx", drafts.download_docx),
    Route("/draft/{id}/input.yaml", drafts.download_yaml),
    Route("/open", drafts.open_yaml, methods=POST),
    # 批量生成
    Route("/batch", batch.batch_page),
    Route("/batch", batch.batch_create, methods=POST),
    Route("/batch/{id}", batch.batch_show),
    Route("/batch/{id}/run", batch.batch_run, methods=POST),
    Route("/batch/{id}/status", batch.batch_status),
    Route("/batch/{id}/files/{what}", batch.batch_file),
    # 格式检查, 格式修正
    Route("/check", check.check_page),
    Route("/check", check.check_upload, methods=POST),
    Route("/fix", fix.fix_page),
    Route("/fix", fix.fix_upload, methods=POST),
    Route("/fix/{id}/fixed.docx", fix.fix_file),
    # 历史
    Route("/history", history.history_page),
    Route("/history/{id}/plan.docx", history.history_docx),
    Route("/history/{id}/open", history.history_open, methods=POST),
    Route("/history/{id}/next", history.history_next, methods=POST),
    # 从文件新建方案类型
    Route("/learn", learn.learn_page),
    Route("/learn", learn.learn_upload, methods=POST),
    Route("/learn/{id}", learn.learn_review),
    Route("/learn/{id}/mark", learn.learn_mark, methods=POST),
    Route("/learn/{id}/save", learn.learn_save, methods=POST),
    # LibreOffice's PDF and pages: 404 on a server without it
    Route("/draft/{id}/plan.pdf", office.download_pdf),
    Route("/draft/{id}/exact", office.exact_page),
    Route("/exact/{key}/{n}.png", office.exact_png),
    Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
]
