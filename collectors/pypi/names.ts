/** Names the PyPI collector stores; the series it declares reads the same names. Subject: the framework name. */

/** Downloads in a month (period `YYYY-MM`): the sum over the framework's packages, through the data's last day. */
export const DOWNLOADS = 'downloads';

/** Days of the month the month's downloads cover (period `YYYY-MM`), stored in the same batch as them. */
export const DAYS_COVERED = 'days_covered';

/** Downloads on one day (period `YYYY-MM-DD`), for the recent months only: the partial month's backtest reads them. */
export const DOWNLOADS_PER_DAY = 'downloads_per_day';

/** How every value is produced: sums of ClickPy's `pypi.pypi_downloads_per_day`. */
export const METHOD = 'per_day_sums';
