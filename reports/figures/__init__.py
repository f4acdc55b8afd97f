"""Plotly figures of every page, as pure functions: frames and values in, a go.Figure out,
no Streamlit. One module per capability; style.py gives them one look."""
