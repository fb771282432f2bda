/**
 * Hargreaves–Samani potential evapotranspiration (FAO-56 eq. 52) with
 * extraterrestrial radiation Ra from latitude and day of year (FAO-56 eqs.
 * 21–25): PET = 0.0023 · 0.408·Ra · (Tmean + 17.8) · √(Tmax − Tmin) mm/d.
 */

/** Extraterrestrial radiation Ra (MJ m⁻² d⁻¹) at latitude `latDeg` (°N) on day of year `doy` (1–366). */
export function extraterrestrialRadiation(latDeg: number, doy: number): number {
  const phi = (latDeg * Math.PI) / 180;
  const dr = 1 + 0.033 * Math.cos(((2 * Math.PI) / 365) * doy);
  const delta = 0.409 * Math.sin(((2 * Math.PI) / 365) * doy - 1.39);
  const x = -Math.tan(phi) * Math.tan(delta);
  const ws = Math.acos(Math.max(-1, Math.min(1, x)));
  const gsc = 0.082; // MJ m⁻² min⁻¹
  return ((24 * 60) / Math.PI) * gsc * dr * (ws * Math.sin(phi) * Math.sin(delta) + Math.cos(phi) * Math.cos(delta) * Math.sin(ws));
}

/** Hargreaves PET (mm/d) from daily Tmin, Tmax (°C), latitude (°N) and day of year; never negative. */
export function hargreavesPet(tmin: number, tmax: number, latDeg: number, doy: number): number {
  const ra = 0.408 * extraterrestrialRadiation(latDeg, doy); // mm/d of evaporated water
  const tmean = (tmax + tmin) / 2;
  const pet = 0.0023 * ra * (tmean + 17.8) * Math.sqrt(Math.max(tmax - tmin, 0));
  return pet > 0 ? pet : 0;
}

/** Day of year (1–366) of an ISO date 'YYYY-MM-DD'. */
export function dayOfYear(iso: string): number {
  const d = Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10));
  return Math.round((d - Date.UTC(+iso.slice(0, 4), 0, 1)) / 86400000) + 1;
}
