/** A labelled select over report files, showing each file's episode or collateral. */
import { episodeOfFile } from "./reports";

export function ReportPicker(props: { label: string; files: string[]; value: string; onChange: (f: string) => void }) {
  const { label, files, value, onChange } = props;
  return (
    <label>
      {label}{" "}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {files.map((f) => (
          <option key={f} value={f}>
            {episodeOfFile(f)}
          </option>
        ))}
      </select>
    </label>
  );
}
