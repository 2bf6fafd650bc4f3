"""How much synthetic data a scale means."""

from dataclasses import dataclass

# 1x is about the size of the Malmö seed documents: four audits with their rounds.
AUDITS_AT_1X = 4
# National scale: Sweden's 290 municipalities, 20,000 audits (5,000 times the seeds).
NATIONAL_FACTOR = 5000
NATIONAL_MUNICIPALITIES = 290


@dataclass(frozen=True)
class Scale:
    factor: float
    municipalities: int
    audits: int

    @classmethod
    def parse(cls, text: str) -> "Scale":
        """Read "1", "0.5", "50" or "national"."""
        if str(text).strip().lower() == "national":
            factor = float(NATIONAL_FACTOR)
        else:
            try:
                factor = float(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a scale; give a number or 'national'.") from None
        if not factor > 0:
            raise ValueError("The scale must be greater than 0.")
        municipalities = round(NATIONAL_MUNICIPALITIES * factor / NATIONAL_FACTOR)
        return cls(
            factor=factor,
            municipalities=min(NATIONAL_MUNICIPALITIES, max(1, municipalities)),
            audits=max(1, round(AUDITS_AT_1X * factor)),
        )

    def audits_per_municipality(self) -> list[int]:
        """Spread the audits over the municipalities as evenly as whole numbers allow."""
        base, extra = divmod(self.audits, self.municipalities)
        return [base + (1 if index < extra else 0) for index in range(self.municipalities)]
