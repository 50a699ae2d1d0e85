"""The side-effect detector: possible adverse drug reactions in a post.

    from patientvoice.safety.detection import detect

    detect("Sertralinet ger mig huvudvärk varje dag")
    # [Detection(medicine="sertraline", reaction="headache", confidence=0.9, …)]

``detect`` uses the directory's active medicines (read once, see
:func:`reset_default_detector`); :class:`Detector` builds one over any medicine list
(``Detector.from_directory_csv()`` needs no database). docs/decisions/0035 explains the
rules and the figures.
"""

from .detector import (
    Detection,
    Detector,
    Reason,
    default_detector,
    detect,
    reset_default_detector,
)
from .medicines import (
    MedicineIndex,
    MedicineRecord,
    medicine_records_from_csv,
    medicine_records_from_database,
)

__all__ = [
    "Detection",
    "Detector",
    "MedicineIndex",
    "MedicineRecord",
    "Reason",
    "default_detector",
    "detect",
    "medicine_records_from_csv",
    "medicine_records_from_database",
    "reset_default_detector",
]
