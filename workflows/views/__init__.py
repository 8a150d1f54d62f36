"""The drafting pages, one module per area; the services do the work."""

from .agreements import AgreementDetailView, AgreementListView
from .versions import VersionApproveView, VersionCompareView, VersionCreateView, VersionDetailView

__all__ = [
    "AgreementDetailView",
    "AgreementListView",
    "VersionApproveView",
    "VersionCompareView",
    "VersionCreateView",
    "VersionDetailView",
]
